import pytest
from django.conf import settings

from rare.website.demo import load_public_pages
from rare.website.models import Page, PageVersion
from rare.website.models import Testimonial as VideoTestimonial
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_demo_pages_load_once_and_running_again_adds_nothing(client):
    author = UserFactory(name="Demo Team")

    load_public_pages(author=author)
    counts = (Page.objects.count(), PageVersion.objects.count(), VideoTestimonial.objects.count())
    load_public_pages(author=author)
    load_public_pages()

    assert (Page.objects.count(), PageVersion.objects.count(), VideoTestimonial.objects.count()) == counts
    assert set(Page.objects.filter(kind="page").values_list("slug", flat=True)) == {
        "about",
        "why",
        "how",
        "objectives",
        "steering-group",
        "funders",
    }
    assert 2 <= Page.objects.filter(kind="news").count() <= 3
    assert set(PageVersion.objects.filter(page__slug="about").values_list("language", flat=True)) == {"en", "de", "hu"}
    assert all(t.illustrative for t in VideoTestimonial.objects.all())


@pytest.mark.django_db
def test_the_demo_keeps_text_the_team_has_edited():
    from rare.website import services

    load_public_pages()
    about = Page.objects.get(slug="about")
    services.save_version(page=about, language="en", title="About us", body="Our own words.", author=None)

    load_public_pages()

    assert about.versions.filter(language="en").order_by("-number").first().body == "Our own words."


@pytest.mark.django_db
def test_the_demo_pages_read_well_in_every_language(client):
    load_public_pages()

    for code, title in [("en", "What RARE is"), ("de", "Was ist RARE?"), ("hu", "Mi a RARE?")]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        body = client.get("/about/").content.decode()
        assert (code, title in body, 'class="note"' in body) == (code, True, False)
    for slug in ["why", "how", "objectives", "steering-group", "funders"]:
        assert client.get(f"/about/{slug}/").status_code == 200
    assert "Hertie School" in client.get("/about/").content.decode()


@pytest.mark.django_db
def test_the_demo_text_links_only_within_the_site_and_shows_no_images():
    load_public_pages()

    text = " ".join(PageVersion.objects.values_list("body", flat=True))
    assert "![" not in text
    assert "http" not in text
