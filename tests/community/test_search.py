"""Full-text search of the directory. Every test runs on whichever database DATABASE_URL names; CI runs
them on SQLite (FTS5) and on PostgreSQL (tsvector), so the same assertions hold for both engines.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from rare.community.models import Organisation, Person, SearchDocument
from rare.community.search import search
from rare.programme.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, ThemeFactory


def people_found(text: str) -> list[str]:
    return [p.name for p in search(Person.objects.all(), text)]


def organisations_found(text: str) -> list[str]:
    return [o.name for o in search(Organisation.objects.all(), text)]


@pytest.mark.django_db
def test_the_engine_is_the_one_of_the_database():
    PersonFactory(name="Ana Border")

    assert connection.vendor in {"sqlite", "postgresql"}
    assert people_found("ana") == ["Ana Border"]


@pytest.mark.django_db
def test_people_are_found_by_name_role_organisation_expertise_and_bio():
    PersonFactory(name="Ana Kovač", organisation__name="Other Centre")
    PersonFactory(name="Ben Role", role="Litigation coordinator", organisation__name="Other Centre")
    PersonFactory(name="Cleo Org", organisation__name="Vistula Legal Action Centre")
    PersonFactory(name="Dan Expert", organisation__name="Other Centre").expertise.add(
        ThemeFactory(slug="media", name="Media freedom")
    )
    PersonFactory(name="Eva Bio", bio="Monitors pushbacks at the border.", organisation__name="Other Centre")

    assert people_found("kovač") == ["Ana Kovač"]
    assert people_found("litigation") == ["Ben Role"]
    assert people_found("vistula") == ["Cleo Org"]
    assert people_found("media freedom") == ["Dan Expert"]
    assert people_found("pushbacks") == ["Eva Bio"]


@pytest.mark.django_db
def test_organisations_are_found_by_name_city_theme_and_description():
    OrganisationFactory(name="Polder Rights Clinic", city="Utrecht")
    OrganisationFactory(name="Danube Watch", city="Vienna").themes.add(ThemeFactory(slug="rol", name="Rule of law"))
    OrganisationFactory(name="Baltic Voices", city="Riga", description="Runs a hotline for journalists.")

    assert organisations_found("utrecht") == ["Polder Rights Clinic"]
    assert organisations_found("rule law") == ["Danube Watch"]
    assert organisations_found("hotline") == ["Baltic Voices"]


@pytest.mark.django_db
def test_the_beginning_of_a_word_is_enough():
    PersonFactory(name="Ana Border", bio="Works on migration and asylum.")
    PersonFactory(name="Bo Other", bio="Press freedom.")

    assert people_found("migr") == ["Ana Border"]
    assert people_found("mi asy") == ["Ana Border"]


@pytest.mark.django_db
def test_every_word_must_match():
    PersonFactory(name="Ana Border", bio="Migration.")
    PersonFactory(name="Ana Press", bio="Press freedom.")

    assert people_found("ana migration") == ["Ana Border"]


@pytest.mark.django_db
def test_accents_and_case_do_not_matter():
    PersonFactory(name="Zsófia Kelemen")
    PersonFactory(name="Łukasz Nowak")

    assert people_found("ZSOFIA") == ["Zsófia Kelemen"]
    assert people_found("zsófia kel") == ["Zsófia Kelemen"]


@pytest.mark.django_db
def test_query_syntax_is_taken_as_plain_words():
    PersonFactory(name="Ana Border", bio="Migration.")

    assert people_found('migr" * -ana:* & | ! (') == ["Ana Border"]  # the words "migr" and "ana"
    assert people_found('NOT" NEAR(ana') == []  # "not" and "near" are words nobody has
    assert people_found("mig*ration") == []
    assert people_found("   ") == ["Ana Border"]  # no words: everybody


@pytest.mark.django_db
def test_a_match_in_the_name_ranks_above_a_match_in_the_biography():
    PersonFactory(name="Bea Writer", bio="Writes about Novak cases, Novak rulings and Novak appeals.")
    PersonFactory(name="Ivan Novak", bio="Lawyer.")
    PersonFactory(name="Cid Role", role="Novak desk")

    assert people_found("novak") == ["Ivan Novak", "Cid Role", "Bea Writer"]


@pytest.mark.django_db
def test_search_keeps_the_other_filters_of_the_queryset():
    PersonFactory(name="Ana Hungary", country="HU", bio="Migration.")
    PersonFactory(name="Ana Poland", country="PL", bio="Migration.")

    assert [p.name for p in search(Person.objects.filter(country="PL"), "migration")] == ["Ana Poland"]


# -- the index follows every edit ----------------------------------------------------------------------


@pytest.mark.django_db
def test_index_follows_edits_of_a_person():
    person = PersonFactory(name="Ana Border", bio="Migration.")

    person.name = "Ana Grenze"
    person.bio = "Press freedom."
    person.save()

    assert people_found("border") == []
    assert people_found("migration") == []
    assert people_found("grenze press") == ["Ana Grenze"]


@pytest.mark.django_db
def test_index_follows_expertise_added_removed_and_cleared_from_both_sides():
    person = PersonFactory(name="Ana Border")
    theme = ThemeFactory(slug="roma", name="Roma rights")

    person.expertise.add(theme)
    assert people_found("roma") == ["Ana Border"]
    person.expertise.remove(theme)
    assert people_found("roma") == []
    theme.experts.add(person)
    assert people_found("roma") == ["Ana Border"]
    theme.experts.clear()
    assert people_found("roma") == []
    person.expertise.set([theme])
    assert people_found("roma") == ["Ana Border"]
    person.expertise.clear()
    assert people_found("roma") == []


@pytest.mark.django_db
def test_index_follows_a_renamed_or_deleted_theme():
    theme = ThemeFactory(slug="roma", name="Roma rights")
    PersonFactory(name="Ana Border").expertise.add(theme)
    OrganisationFactory(name="Danube Watch").themes.add(theme)

    theme.name = "Antigypsyism"
    theme.save()
    assert people_found("antigyps") == ["Ana Border"]
    assert organisations_found("antigyps") == ["Danube Watch"]

    theme.delete()
    assert people_found("antigyps") == []
    assert organisations_found("antigyps") == []


@pytest.mark.django_db
def test_index_follows_the_organisation_of_people():
    organisation = OrganisationFactory(name="Vistula Legal Action Centre")
    PersonFactory(name="Marta Example", organisation=organisation)

    organisation.name = "Oder Legal Action Centre"
    organisation.save()
    assert people_found("vistula") == []
    assert people_found("oder") == ["Marta Example"]
    assert organisations_found("oder") == ["Oder Legal Action Centre"]

    organisation.delete()
    assert people_found("oder") == []
    assert organisations_found("oder") == []
    assert people_found("marta") == ["Marta Example"]


@pytest.mark.django_db
def test_index_forgets_deleted_people_and_organisation_themes():
    person = PersonFactory(name="Ana Border")
    organisation = OrganisationFactory(name="Danube Watch")
    theme = ThemeFactory(slug="rol", name="Rule of law")
    organisation.themes.add(theme)
    assert organisations_found("rule") == ["Danube Watch"]

    organisation.themes.remove(theme)
    person.delete()

    assert organisations_found("rule") == []
    assert people_found("ana") == []


@pytest.mark.django_db
def test_reindex_command_rebuilds_the_index_after_bulk_writes():
    Person.objects.bulk_create([Person(name="Bulk Imported", slug="bulk-imported")])
    assert people_found("bulk") == []

    out = StringIO()
    call_command("reindex", stdout=out)

    assert people_found("bulk") == ["Bulk Imported"]
    assert out.getvalue().strip() == "Indexed 1 people and 0 organisations."
    assert SearchDocument.objects.count() == 1


# -- through the pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_members_search_people_by_prefix_on_the_page(member_client):
    PersonFactory(name="Ana Border", bio="Monitors migration.")
    PersonFactory(name="Bo Other", bio="Press freedom.")

    body = member_client.get("/directory/people/", {"q": "migr"}).content.decode()

    assert "Ana Border" in body
    assert "Bo Other" not in body
    assert "1 person" in body


@pytest.mark.django_db
def test_members_search_organisations_on_the_page(member_client):
    OrganisationFactory(name="Danube Watch", description="Observes trials.")
    OrganisationFactory(name="Baltic Voices")

    body = member_client.get("/directory/organisations/", {"q": "trial"}).content.decode()

    assert "Danube Watch" in body
    assert "Baltic Voices" not in body


@pytest.mark.django_db
def test_visitors_searching_public_profiles_never_find_people_who_did_not_consent(client):
    shown = PersonFactory(name="Open Advocate", public_profile=True, bio="Works on migration.")
    MembershipFactory(person=shown, role=Membership.Role.PARTICIPANT)
    hidden = PersonFactory(name="Private Advocate", public_profile=False, bio="Works on migration.")
    MembershipFactory(person=hidden, role=Membership.Role.PARTICIPANT)
    PersonFactory(name="Outside Advocate", public_profile=True, bio="Works on migration.")

    for query in ("advocate", "migration", "private", "outside"):
        body = client.get("/directory/participants/", {"q": query}).content.decode()
        assert "Private Advocate" not in body
        assert "Outside Advocate" not in body

    body = client.get("/directory/participants/", {"q": "migr"}).content.decode()
    assert "Open Advocate" in body
    body = client.get("/directory/participants/", {"q": "private"}).content.decode()
    assert "No public profile matches this search." in body
