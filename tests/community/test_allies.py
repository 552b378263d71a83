"""Find allies: who has expertise X in countries Y, for members only."""

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, PersonFactory, ThemeFactory


@pytest.fixture
def network(db):
    litigation = ThemeFactory(slug="litigation", name="Strategic litigation")
    roma = ThemeFactory(slug="roma", name="Roma rights")
    media = ThemeFactory(slug="media", name="Media freedom")
    hu = OrganisationFactory(name="Budapest Litigators", country="HU")
    hu.themes.add(litigation)
    ro = OrganisationFactory(name="Cluj Roma Centre", country="RO")
    ro.themes.add(roma)
    OrganisationFactory(name="Warsaw Press Fund", country="PL").themes.add(media)
    PersonFactory(name="Hanna Lawyer", country="HU", organisation=hu).expertise.add(litigation)
    PersonFactory(name="Hugo Lawyer", country="HU", organisation=hu).expertise.add(litigation, roma)
    PersonFactory(name="Radu Activist", country="RO", organisation=ro).expertise.add(roma)
    PersonFactory(name="Piotr Journalist", country="PL").expertise.add(media, litigation)
    PersonFactory(name="Nobody Special", country="HU").expertise.add(media)


def groups(response) -> list[tuple[str, list[str], list[str]]]:
    return [(g.code, [p.name for p in g.people], [o.name for o in g.organisations]) for g in response.context["groups"]]


def test_allies_with_an_expertise_in_chosen_countries_grouped_by_country(member_client, network):
    response = member_client.get("/directory/allies/", {"theme": "litigation", "country": ["HU", "PL"]})

    assert groups(response) == [
        ("HU", ["Hanna Lawyer", "Hugo Lawyer"], ["Budapest Litigators"]),
        ("PL", ["Piotr Journalist"], []),
    ]
    body = response.content.decode()
    assert "3 people" in body
    assert "1 organisation" in body
    assert "in 2 countries" in body
    assert 'value="litigation" checked' in body
    assert 'value="PL" checked' in body


def test_several_themes_match_any_of_them(member_client, network):
    response = member_client.get("/directory/allies/", {"theme": ["litigation", "roma"], "country": "RO"})

    assert groups(response) == [("RO", ["Radu Activist"], ["Cluj Roma Centre"])]


def test_no_country_means_every_country(member_client, network):
    response = member_client.get("/directory/allies/", {"theme": "roma"})

    assert groups(response) == [
        ("HU", ["Hugo Lawyer"], []),
        ("RO", ["Radu Activist"], ["Cluj Roma Centre"]),
    ]


def test_countries_alone_list_everybody_there(member_client, network):
    response = member_client.get("/directory/allies/", {"country": "PL"})

    assert groups(response) == [("PL", ["Piotr Journalist"], ["Warsaw Press Fund"])]


def test_nothing_chosen_asks_for_a_choice_and_lists_nobody(member_client, network):
    response = member_client.get("/directory/allies/")

    assert response.context["groups"] == []
    assert response.context["asked"] is False
    assert 'name="theme" value="roma"' in response.content.decode()


def test_unknown_choices_are_ignored(member_client, network):
    response = member_client.get("/directory/allies/", {"theme": "nope", "country": "ZZ"})

    assert response.context["asked"] is False


def test_nobody_matching_says_so(member_client, network):
    response = member_client.get("/directory/allies/", {"theme": "roma", "country": "PL"})

    assert "Nobody matches this choice yet." in response.content.decode()


def test_allies_are_for_members_only(outsider_client, network):
    assert Client().get("/directory/allies/").url == "/accounts/login/?next=/directory/allies/"
    assert outsider_client.get("/directory/allies/").status_code == 404


@pytest.mark.django_db
def test_allies_query_count_does_not_grow_with_rows(member_client, django_assert_max_num_queries):
    theme = ThemeFactory(slug="litigation", name="Strategic litigation")
    other = ThemeFactory(slug="other", name="Other")

    def add(n: int) -> None:
        for i in range(n):
            country = ("HU", "PL", "RO", "SK", "CZ")[i % 5]
            organisation = OrganisationFactory(country=country)
            organisation.themes.add(theme, other)
            PersonFactory(country=country, organisation=organisation).expertise.add(theme, other)

    query = {"theme": "litigation", "country": ["HU", "PL", "RO", "SK", "CZ"]}
    add(10)
    with django_assert_max_num_queries(30) as few:
        member_client.get("/directory/allies/", query)
    add(90)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get("/directory/allies/", query)

    assert sum(len(g.people) for g in response.context["groups"]) == 100
    assert sum(len(g.organisations) for g in response.context["groups"]) == 100
