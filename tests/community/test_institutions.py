"""Institutions and their contacts: advocacy targets, for members only."""

import pytest
from django.test import Client

from rare.community.demo import INSTITUTIONS, load_demo_institutions
from rare.community.models import Contact, Institution
from tests.factories import ContactFactory, InstitutionFactory

Kind = Institution.Kind


@pytest.fixture
def parliament(db):
    ep = InstitutionFactory(name="European Parliament", acronym="EP", slug="ep", kind=Kind.EU_PARLIAMENT)
    libe = InstitutionFactory(
        name="Committee on Civil Liberties, Justice and Home Affairs", acronym="LIBE", slug="libe", parent=ep
    )
    InstitutionFactory(name="Subcommittee on Human Rights", acronym="DROI", slug="droi", parent=ep)
    InstitutionFactory(name="Sejm", slug="sejm", kind=Kind.NATIONAL_PARLIAMENT, country="PL")
    InstitutionFactory(name="National Assembly", slug="hu-na", kind=Kind.NATIONAL_PARLIAMENT, country="HU")
    ContactFactory(
        institution=libe,
        name="Invented Adviser",
        position="Assistant to a rapporteur",
        email="adviser@example.org",
        phone="+32 2 555 00 00",
        notes="Met at camp 7; prefers short briefs.",
    )
    return ep


def listed(response) -> list[str]:
    return [i.name for i in response.context["institutions"]]


@pytest.mark.parametrize("url", ["/directory/institutions/", "/directory/institutions/libe/"])
def test_visitors_are_sent_to_sign_in(parliament, url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ["/directory/institutions/", "/directory/institutions/libe/"])
def test_accounts_without_a_role_get_404(outsider_client, parliament, url):
    assert outsider_client.get(url).status_code == 404


def test_members_filter_institutions_by_kind_country_and_search(member_client, parliament):
    assert listed(member_client.get("/directory/institutions/", {"kind": "national_parliament"})) == [
        "National Assembly",
        "Sejm",
    ]
    assert listed(member_client.get("/directory/institutions/", {"kind": "national_parliament", "country": "PL"})) == [
        "Sejm"
    ]
    assert listed(member_client.get("/directory/institutions/", {"q": "libe"})) == [
        "Committee on Civil Liberties, Justice and Home Affairs"
    ]
    # The parent's acronym finds its parts too.
    assert listed(member_client.get("/directory/institutions/", {"q": "EP committee"})) == [
        "Committee on Civil Liberties, Justice and Home Affairs",
        "Subcommittee on Human Rights",
    ]


def test_list_shows_the_parent_and_the_number_of_contacts(member_client, parliament):
    body = member_client.get("/directory/institutions/", {"q": "libe"}).content.decode()

    assert "Part of European Parliament (EP)" in body
    assert "1 contact" in body


def test_detail_shows_contacts_to_members(member_client, parliament):
    body = member_client.get("/directory/institutions/libe/").content.decode()

    assert "Invented Adviser" in body
    assert "Assistant to a rapporteur" in body
    assert '<a href="mailto:adviser@example.org">adviser@example.org</a>' in body
    assert '<a href="tel:+3225550000">+32 2 555 00 00</a>' in body
    assert "Met at camp 7; prefers short briefs." in body
    assert '<a href="/directory/institutions/ep/">European Parliament (EP)</a>' in body


def test_detail_of_a_parent_lists_its_committees(member_client, parliament):
    body = member_client.get("/directory/institutions/ep/").content.decode()

    assert "Parts of this institution" in body
    assert body.index("Committee on Civil Liberties") < body.index("Subcommittee on Human Rights")
    assert "We know nobody here yet." in body


def test_unknown_institution_is_404(member_client, parliament):
    assert member_client.get("/directory/institutions/nothing/").status_code == 404


def test_contacts_never_reach_public_pages(parliament):
    visitor = Client()
    for url in ("/", "/directory/participants/", "/directory/map/", "/directory/participants/?q=invented"):
        assert "Invented Adviser" not in visitor.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/directory/institutions/", "/directory/institutions/parent/"])
def test_institution_pages_query_count_does_not_grow_with_rows(member_client, django_assert_max_num_queries, url):
    parent = InstitutionFactory(slug="parent", kind=Kind.EU_PARLIAMENT)

    def add(n: int) -> None:
        for _ in range(n):
            ContactFactory(institution=InstitutionFactory(parent=parent))
            ContactFactory(institution=parent)

    add(2)
    with django_assert_max_num_queries(20) as few:
        member_client.get(url)
    add(20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_demo_institutions_are_real_bodies_with_invented_contacts_and_load_twice_the_same():
    load_demo_institutions()
    load_demo_institutions()

    assert Institution.objects.count() == len(INSTITUTIONS)
    libe = Institution.objects.get(acronym="LIBE")
    assert libe.parent.name == "European Parliament"
    assert set(Institution.objects.filter(parent=libe.parent).values_list("acronym", flat=True)) == {
        "LIBE",
        "AFCO",
        "JURI",
        "DROI",
    }
    assert {"DG JUST", "DG HOME", "FRA", "ODIHR", "PACE", "Venice Commission"} <= set(
        Institution.objects.values_list("acronym", flat=True)
    )
    assert Contact.objects.exclude(email__endswith="@example.org").count() == 0
    assert Contact.objects.count() == sum(len(i.contacts) for i in INSTITUTIONS)
