"""Directory filters: country, themes or expertise, languages, organisation size, all combined with search."""

import re

import pytest

from rare.community.models import Organisation
from tests.factories import OrganisationFactory, PersonFactory, ThemeFactory


def listed(response) -> set[str]:
    return {person.name for person in response.context["people"]}


def organisations_listed(response) -> set[str]:
    return {organisation.name for organisation in response.context["organisations"]}


@pytest.fixture
def network(db):
    migration = ThemeFactory(slug="migration", name="Migration and asylum")
    media = ThemeFactory(slug="media", name="Media freedom")
    small = OrganisationFactory(name="Small Hungarian NGO", country="HU", size=Organisation.Size.SMALL)
    large = OrganisationFactory(name="Large Polish NGO", country="PL", size=Organisation.Size.LARGE)
    small.themes.add(migration)
    large.themes.add(media, migration)
    PersonFactory(name="Hu Migration German", country="HU", languages="hu, DE", organisation=small).expertise.add(
        migration
    )
    PersonFactory(name="Hu Media English", country="HU", languages="en", organisation=small, bio="Migration.")
    PersonFactory(name="Pl Migration German", country="PL", languages="pl,de", organisation=large).expertise.add(
        migration
    )
    PersonFactory(name="Pl Media Dutch", country="PL", languages="nl,deu", organisation=large).expertise.add(media)


def test_people_filter_by_expertise(member_client, network):
    response = member_client.get("/directory/people/", {"theme": "migration"})

    assert listed(response) == {"Hu Migration German", "Pl Migration German"}


def test_people_filter_by_language_matches_whole_codes_in_any_case_and_spacing(member_client, network):
    response = member_client.get("/directory/people/", {"language": "de"})

    assert listed(response) == {"Hu Migration German", "Pl Migration German"}
    body = response.content.decode()
    assert '<option value="de" selected>German</option>' in body
    assert '<option value="deu">deu</option>' in body


def test_people_filter_by_the_size_of_their_organisation(member_client, network):
    response = member_client.get("/directory/people/", {"size": "large"})

    assert listed(response) == {"Pl Migration German", "Pl Media Dutch"}


def test_people_filters_combine_with_each_other_and_with_search(member_client, network):
    assert listed(member_client.get("/directory/people/", {"theme": "migration", "country": "PL"})) == {
        "Pl Migration German"
    }
    assert listed(member_client.get("/directory/people/", {"language": "de", "size": "small"})) == {
        "Hu Migration German"
    }
    assert listed(member_client.get("/directory/people/", {"q": "migr", "country": "HU"})) == {
        "Hu Migration German",
        "Hu Media English",
    }
    assert listed(member_client.get("/directory/people/", {"q": "migr", "country": "HU", "language": "en"})) == {
        "Hu Media English"
    }
    assert listed(member_client.get("/directory/people/", {"q": "media", "theme": "migration"})) == set()


def test_unknown_filter_values_are_ignored(member_client, network):
    response = member_client.get("/directory/people/", {"theme": "nope", "language": "xx", "size": "huge"})

    assert len(listed(response)) == 5  # the four above and the signed-in member


def test_organisations_filter_by_theme_size_and_search_combined(member_client, network):
    assert organisations_listed(member_client.get("/directory/organisations/", {"theme": "migration"})) == {
        "Small Hungarian NGO",
        "Large Polish NGO",
    }
    assert organisations_listed(
        member_client.get("/directory/organisations/", {"theme": "migration", "size": "small"})
    ) == {"Small Hungarian NGO"}
    assert organisations_listed(member_client.get("/directory/organisations/", {"q": "media", "country": "PL"})) == {
        "Large Polish NGO"
    }
    assert (
        organisations_listed(member_client.get("/directory/organisations/", {"q": "media", "country": "HU"})) == set()
    )


def test_organisation_list_counts_people_also_when_searching(member_client, network):
    response = member_client.get("/directory/organisations/", {"q": "polish"})

    assert [(o.name, o.people_count) for o in response.context["organisations"]] == [("Large Polish NGO", 2)]
    assert "2 people in the network" in response.content.decode()


def test_filter_form_works_without_javascript_and_offers_show_all(member_client, network):
    body = member_client.get("/directory/people/", {"theme": "media"}).content.decode()

    form = re.search(r'<form class="filters"[^>]*>', body).group(0)
    assert 'method="get"' in form
    assert 'action="/directory/people/"' in form
    assert 'hx-get="/directory/people/"' in form  # live filtering on top, where JavaScript runs
    assert '<button type="submit">Search</button>' in body
    assert '<option value="media" selected>Media freedom</option>' in body
    assert '<a href="/directory/people/">Show all</a>' in body


def _grow(n: int) -> None:
    theme = ThemeFactory(slug="migration", name="Migration and asylum")
    for i in range(n):
        organisation = OrganisationFactory(country="HU", size=Organisation.Size.SMALL, description="Migration work.")
        organisation.themes.add(theme)
        PersonFactory(
            name=f"Migration Advocate {i}", country="HU", languages="hu,de", organisation=organisation
        ).expertise.add(theme)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/directory/people/", {}),
        ("/directory/people/", {"q": "migr", "country": "HU", "theme": "migration", "language": "de"}),
        ("/directory/people/", {"q": "advocate", "size": "small"}),
        ("/directory/organisations/", {}),
        ("/directory/organisations/", {"q": "migr", "country": "HU", "theme": "migration", "size": "small"}),
        ("/directory/participants/", {"q": "migr"}),
    ],
)
def test_searching_and_filtering_keep_a_constant_query_count(member_client, django_assert_max_num_queries, url, query):
    _grow(10)
    with django_assert_max_num_queries(25) as few:
        member_client.get(url, query)
    _grow(90)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(url, query)

    assert response.status_code == 200
    expected = 0 if "participants" in url else 100  # nobody consented to a public profile here
    assert response.context["paginator"].count >= expected


def test_filter_choices_are_kept_shared_as_codes_and_named_in_each_requests_language(member_client, network):
    """The countries and languages on offer are read once and kept a short while for every member; only
    the codes are kept, so each request still names them in its own language."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rare.community import queries

    first = member_client.get("/directory/people/")
    assert ("HU", "Hungary") in first.context["countries"]
    assert ("de", "German") in first.context["languages"]

    PersonFactory(name="Ro Person", country="RO", languages="ro")
    with CaptureQueriesContext(connection) as kept:
        again = member_client.get("/directory/people/", headers={"accept-language": "de"})
    choices = ('DISTINCT "community_person"."country"', 'DISTINCT "community_person"."languages"')
    assert not [q for q in kept.captured_queries if any(read in q["sql"] for read in choices)]
    assert ("HU", "Ungarn") in again.context["countries"]
    assert "RO" not in dict(again.context["countries"])  # offered once the choices are read again

    cache.clear()
    assert "RO" in dict(queries.person_countries())
    assert "ro" in dict(queries.language_choices())
