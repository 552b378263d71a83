import pytest

from rare.website import queries, services
from rare.website.models import PageVersion, VersionImmutable
from tests.website.helpers import make_page, team_member


@pytest.mark.django_db
def test_every_save_adds_a_version_with_author_time_and_text():
    author = team_member("Tess Team")
    page = make_page("about", "What RARE is", "First text.", author=author)

    version, created = services.save_version(
        page=page, language="en", title="What RARE is", body="Second text.", author=author
    )

    history = queries.history(page)
    assert created is True
    assert [(v.number, v.body, v.author.name) for v in history["en"]] == [
        (2, "Second text.", "Tess Team"),
        (1, "First text.", "Tess Team"),
    ]
    assert history["en"][0].created_at >= history["en"][1].created_at
    assert version == history["en"][0]


@pytest.mark.django_db
def test_saving_unchanged_text_adds_no_version():
    page = make_page("about", "What RARE is", "Text.")

    version, created = services.save_version(
        page=page, language="en", title="What RARE is", body="Text.\r\n", author=None
    )

    assert (created, version.number, page.versions.count()) == (False, 1, 1)


@pytest.mark.django_db
def test_a_saved_version_cannot_be_changed_or_deleted():
    version = make_page("about").versions.get()

    version.body = "Rewritten history"
    with pytest.raises(VersionImmutable):
        version.save()
    with pytest.raises(VersionImmutable):
        version.delete()
    assert PageVersion.objects.get().body == "Text of about."


@pytest.mark.django_db
def test_restoring_an_old_version_adds_a_new_version_copying_it():
    author = team_member("Rita Restorer")
    page = make_page("why", "Why", "Original.")
    services.save_version(page=page, language="en", title="Why RARE", body="Vandalised.", author=None)
    first = page.versions.get(number=1)

    restored = services.restore_version(version=first, author=author)

    assert (restored.number, restored.title, restored.body, restored.restored_from, restored.author) == (
        3,
        "Why",
        "Original.",
        first,
        author,
    )
    assert [v.number for v in queries.history(page)["en"]] == [3, 2, 1]
    assert queries.readable_page(kind="page", slug="why", language="en").version == restored


@pytest.mark.django_db
def test_versions_are_numbered_per_language():
    page = make_page("about", "What RARE is", "English.")
    services.save_version(page=page, language="de", title="Was ist RARE?", body="Deutsch.", author=None)
    services.save_version(page=page, language="de", title="Was ist RARE?", body="Deutsch, besser.", author=None)

    assert {code: [v.number for v in versions] for code, versions in queries.history(page).items()} == {
        "en": [1],
        "de": [2, 1],
    }


@pytest.mark.django_db
def test_an_unknown_language_is_refused():
    page = make_page("about")

    with pytest.raises(ValueError, match="Unknown language"):
        services.save_version(page=page, language="fr", title="À propos", body="", author=None)
