import re

import pytest
from django.conf import settings

from rare.programme.models import Membership
from rare.website import services
from rare.website.models import Page
from tests.factories import UserFactory
from tests.website.helpers import make_page, member, team_member


def in_german(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"


@pytest.mark.django_db
def test_a_public_page_shows_its_rendered_text_and_the_sub_navigation(client):
    make_page("about", "What RARE is", "RARE is a **programme**.", position=10)
    make_page("why", "Why RARE", "Because.", position=20)
    make_page("funders", "Funders", "Thanks.", position=60)

    response = client.get("/about/why/")

    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<h1 id="page-title"\s*>Why RARE</h1>', body)
    assert "<p>Because.</p>" in body
    subnav = body.split('<nav class="subnav"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)"', subnav) == ["/about/", "/about/why/", "/about/funders/"]
    assert re.findall(r'<a href="([^"]+)"\s*aria-current="page">', subnav) == ["/about/why/"]


@pytest.mark.django_db
def test_the_index_page_lives_at_about_and_its_second_address_redirects(client):
    make_page("about", "What RARE is", "RARE is a programme.")

    assert client.get("/about/").status_code == 200
    response = client.get("/about/about/")
    assert (response.status_code, response["Location"]) == (301, "/about/")


@pytest.mark.django_db
def test_unknown_pages_and_news_posts_at_page_addresses_are_404(client):
    make_page("launch", kind=Page.Kind.NEWS)

    assert client.get("/about/no-such-page/").status_code == 404
    assert client.get("/about/launch/").status_code == 404


@pytest.mark.django_db
def test_a_visitor_reads_the_page_in_their_language(client):
    page = make_page("about", "What RARE is", "In English.")
    services.save_version(page=page, language="de", title="Was ist RARE?", body="Auf Deutsch.", author=None)
    in_german(client)

    body = client.get("/about/").content.decode()

    assert "Was ist RARE?" in body
    assert "<p>Auf Deutsch.</p>" in body
    assert "In English." not in body
    assert 'class="note"' not in body


@pytest.mark.django_db
def test_a_page_not_yet_translated_falls_back_to_english_with_a_note(client):
    make_page("about", "What RARE is", "In English.")
    make_page("why", "Why RARE", "Because.")
    in_german(client)

    body = client.get("/about/why/").content.decode()

    assert '<h1 id="page-title" lang="en">Why RARE</h1>' in body
    assert '<div class="prose" lang="en"><p>Because.</p></div>' in body
    assert 'class="note"' in body
    assert 'lang="en"' in body.split('class="subnav"')[1].split("</nav>")[0]


@pytest.mark.django_db
def test_a_visitor_sees_the_last_update_but_not_who_wrote_the_page(client):
    make_page("about", "What RARE is", "Text.", author=team_member("Tess Team"))

    body = client.get("/about/").content.decode()

    assert "Last updated" in body
    assert "Tess Team" not in body
    assert "/website/about/edit/" not in body


@pytest.mark.django_db
def test_the_team_sees_edit_and_history_links_on_a_page(client):
    make_page("about", "What RARE is", "Text.")
    client.force_login(team_member())

    body = client.get("/about/").content.decode()

    assert 'href="/website/about/edit/en/"' in body
    assert 'href="/website/about/history/"' in body


@pytest.mark.django_db
def test_page_query_count_does_not_grow_with_pages_or_versions(client, django_assert_max_num_queries):
    make_page("about", "What RARE is", "Text.", position=0)
    for n in range(3):
        make_page(f"page-{n}")
    with django_assert_max_num_queries(10) as few:
        client.get("/about/")
    for n in range(3, 30):
        page = make_page(f"page-{n}")
        services.save_version(page=page, language="de", title="Seite", body="Text.", author=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/about/")
    assert response.content.decode().count('href="/about/page-') == 30


# --- Editing: the programme team only -----------------------------------------------------------

EDIT_ADDRESSES = [
    ("get", "/website/"),
    ("get", "/website/new/"),
    ("post", "/website/new/"),
    ("get", "/website/about/edit/en/"),
    ("post", "/website/about/edit/en/"),
    ("get", "/website/about/history/"),
    ("get", "/website/about/versions/{pk}/"),
    ("post", "/website/about/versions/{pk}/restore/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "address"), EDIT_ADDRESSES)
@pytest.mark.parametrize("who", ["visitor", "signed in without a role", "participant", "expert"])
def test_editing_is_404_for_anyone_but_the_team(client, method, address, who):
    page = make_page("about", "What RARE is", "Original.")
    if who == "signed in without a role":
        client.force_login(UserFactory())
    elif who == "participant":
        client.force_login(member(Membership.Role.PARTICIPANT, "Pat Participant"))
    elif who == "expert":
        client.force_login(member(Membership.Role.EXPERT, "Eve Expert"))
    data = {"title": "Defaced", "body": "Defaced.", "action": "save", "kind": "news", "slug": "defaced"}

    response = getattr(client, method)(address.format(pk=page.versions.get().pk), data)

    assert response.status_code == 404
    assert [v.body for v in page.versions.all()] == ["Original."]
    assert not Page.objects.filter(slug="defaced").exists()


@pytest.mark.django_db
def test_the_team_edits_a_page_and_visitors_read_the_new_text(client):
    page = make_page("about", "What RARE is", "Old text.")
    client.force_login(team_member("Tess Team"))

    form = client.get("/website/about/edit/en/")
    response = client.post(
        "/website/about/edit/en/", {"title": "What RARE is", "body": "New *text*.", "action": "save"}
    )

    assert form.status_code == 200
    assert "Old text." in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    assert (response.status_code, response["Location"]) == (302, "/about/")
    assert page.versions.order_by("-number").first().author.name == "Tess Team"
    client.logout()
    assert "<p>New <em>text</em>.</p>" in client.get("/about/").content.decode()


@pytest.mark.django_db
def test_preview_shows_the_rendered_text_without_saving(client):
    page = make_page("about", "What RARE is", "Old text.")
    client.force_login(team_member())

    response = client.post(
        "/website/about/edit/en/",
        {"title": "New title", "body": "A <script>x()</script>**bold** plan.", "action": "preview"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert '<div class="prose" lang="en"><p>A <strong>bold</strong> plan.</p></div>' in body
    assert "<script>x()" not in body
    assert page.versions.count() == 1


@pytest.mark.django_db
def test_htmx_preview_answers_with_the_preview_alone(client):
    make_page("about", "What RARE is", "Old text.")
    client.force_login(team_member())

    response = client.post(
        "/website/about/edit/en/",
        {"title": "T", "body": "**New**", "action": "preview"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode().strip()
    assert body.startswith('<div id="preview"')
    assert "<strong>New</strong>" in body
    assert "<html" not in body


@pytest.mark.django_db
def test_translating_starts_from_the_english_text(client):
    make_page("about", "What RARE is", "English text.")
    client.force_login(team_member())

    body = client.get("/website/about/edit/hu/").content.decode()

    assert "English text." in body
    assert 'lang="hu"' in body
    assert 'class="note"' in body


@pytest.mark.django_db
def test_editing_in_an_unknown_language_is_404(client):
    make_page("about")
    client.force_login(team_member())

    assert client.get("/website/about/edit/fr/").status_code == 404


@pytest.mark.django_db
def test_the_team_sees_the_history_and_restores_an_old_version(client):
    author = team_member("Tess Team")
    page = make_page("about", "What RARE is", "Good text.", author=author)
    services.save_version(page=page, language="en", title="What RARE is", body="Bad text.", author=author)
    first = page.versions.get(number=1)
    client.force_login(author)

    history = client.get("/website/about/history/").content.decode()
    old = client.get(f"/website/about/versions/{first.pk}/").content.decode()
    response = client.post(f"/website/about/versions/{first.pk}/restore/")

    assert "Version 2" in history and "Version 1" in history and "Tess Team" in history
    assert "<p>Good text.</p>" in old
    assert '<span class="diff__removed">-Good text.</span>' in old
    assert '<span class="diff__added">+Bad text.</span>' in old
    assert (response.status_code, response["Location"]) == (302, "/website/about/history/")
    newest = page.versions.order_by("-number").first()
    assert (newest.number, newest.body, newest.restored_from) == (3, "Good text.", first)
    assert "restored from version 1" in client.get("/website/about/history/").content.decode()


@pytest.mark.django_db
def test_restore_needs_a_post(client):
    page = make_page("about")
    client.force_login(team_member())

    assert client.get(f"/website/about/versions/{page.versions.get().pk}/restore/").status_code == 405


@pytest.mark.django_db
def test_a_version_of_another_page_is_404(client):
    make_page("about")
    other = make_page("why")
    client.force_login(team_member())

    assert client.get(f"/website/about/versions/{other.versions.get().pk}/").status_code == 404


@pytest.mark.django_db
def test_the_team_writes_a_news_post(client):
    client.force_login(team_member("Tess Team"))

    response = client.post(
        "/website/new/",
        {"kind": "news", "language": "en", "title": "Camp 7 in Brussels", "body": "We met MEPs.", "action": "save"},
    )

    assert (response.status_code, response["Location"]) == (302, "/news/camp-7-in-brussels/")
    assert "<p>We met MEPs.</p>" in client.get("/news/camp-7-in-brussels/").content.decode()


@pytest.mark.django_db
def test_a_new_page_needs_an_address_no_other_page_has(client):
    make_page("funders")
    client.force_login(team_member())

    response = client.post(
        "/website/new/", {"kind": "page", "language": "en", "title": "Funders", "body": "", "action": "save"}
    )

    assert response.status_code == 200
    assert "Another page already has this address." in response.content.decode()
    assert Page.objects.count() == 1


@pytest.mark.django_db
def test_the_team_overview_lists_pages_and_news_with_their_languages(client):
    page = make_page("about", "What RARE is")
    services.save_version(page=page, language="hu", title="Mi a RARE?", body="Szöveg.", author=None)
    client.force_login(team_member())

    body = client.get("/website/").content.decode()

    assert "What RARE is" in body
    assert "en, hu" in body


@pytest.mark.django_db
def test_a_members_attempt_to_edit_is_recorded_in_the_audit_trail(client):
    from rare.core.models import AuditEntry

    make_page("about")
    client.force_login(member(Membership.Role.PARTICIPANT, "Pat Participant"))

    client.post("/website/about/edit/en/", {"title": "Defaced", "body": "Defaced.", "action": "save"})

    denials = AuditEntry.objects.filter(action="permission.denied")
    assert list(denials.values_list("outcome", "details__permission")) == [("denied", "website.edit_page")]


@pytest.mark.django_db
def test_team_overview_and_history_query_counts_do_not_grow_with_rows(client, django_assert_max_num_queries):
    author = team_member("Tess Team")
    about = make_page("about", author=author)
    make_page("why", author=author)
    client.force_login(author)
    with django_assert_max_num_queries(20) as overview:
        client.get("/website/")
    with django_assert_max_num_queries(20) as history:
        client.get("/website/about/history/")

    for n in range(25):
        make_page(f"page-{n}", author=author)
        services.save_version(page=about, language="de", title=f"Titel {n}", body=f"Text {n}.", author=author)
    restored = services.restore_version(version=about.versions.get(language="en"), author=team_member("Rita"))

    with django_assert_max_num_queries(len(overview.captured_queries)):
        overview_page = client.get("/website/")
    with django_assert_max_num_queries(len(history.captured_queries)):
        history_page = client.get("/website/about/history/")
    assert overview_page.content.decode().count("/history/") == 27
    assert history_page.content.decode().count("/website/about/versions/") == 27
    assert restored.number == 2
