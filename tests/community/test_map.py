"""The network map: a tile-grid cartogram drawn on the server as inline SVG, with a table as its text
alternative. Visitors see organisations per country; members also see people and can follow each country
into the directory.
"""

import re

import pytest
from django.test import Client

from rare.community.mapdata import GRID, legend, step_of
from tests.factories import OrganisationFactory, PersonFactory


def tile(body: str, code: str) -> str:
    """The SVG markup of one country's tile (a link or a group)."""
    match = re.search(rf'<(a|g) [^>]*data-country="{code}">(.*?)</\1>', body, re.S)
    assert match, f"no tile for {code}"
    return match.group(0)


def table_rows(body: str) -> list[list[str]]:
    table = body[body.index('<table class="map-table"') : body.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


@pytest.fixture
def network(db):
    for _ in range(3):
        OrganisationFactory(country="HU")
    OrganisationFactory(country="PL")
    PersonFactory(country="PL", organisation=None)
    PersonFactory(country="PL", organisation=None)
    PersonFactory(country="SK", organisation=None, public_profile=False, name="Secret Slovak")
    OrganisationFactory(country="US")  # outside the grid: only in the table


def test_every_country_of_the_grid_is_a_tile_with_its_code_and_title(db):
    body = Client().get("/directory/map/").content.decode()

    assert body.count('class="map-tile ') == len(GRID)
    assert "<svg" in body and 'role="group"' in body
    assert ">HU</text>" in tile(body, "HU")
    assert "<title>Hungary: 0 organisations</title>" in tile(body, "HU")


def test_visitors_see_organisations_per_country_and_no_people(network):
    body = Client().get("/directory/map/").content.decode()

    hungary = tile(body, "HU")
    assert hungary.startswith("<g ")
    assert "map-step-5" in hungary
    assert '<text class="map-tile__count"' in hungary and ">3</text>" in hungary
    assert "<title>Hungary: 3 organisations</title>" in hungary
    assert "map-step-2" in tile(body, "PL")
    assert "map-step-0" in tile(body, "SK")
    assert "map-tile__count" not in tile(body, "SK")
    assert "people" not in tile(body, "PL")
    assert "/directory/organisations/" not in body
    assert table_rows(body) == [["Hungary", "3"], ["Poland", "1"], ["United States of America", "1"]]


def test_members_follow_each_country_into_the_directory(member_client, network):
    body = member_client.get("/directory/map/").content.decode()

    hungary = tile(body, "HU")
    assert hungary.startswith('<a href="/directory/organisations/?country=HU"')
    assert "<title>Hungary: 3 organisations, 0 people</title>" in hungary
    assert "<title>Poland: 1 organisation, 2 people</title>" in tile(body, "PL")
    assert tile(body, "SK").startswith("<g ")  # no organisation there: nothing to follow
    assert table_rows(body) == [
        ["Hungary", "3", "0"],
        ["Poland", "1", "2"],
        ["Slovakia", "0", "1"],
        ["United States of America", "1", "0"],
    ]
    assert '<a href="/directory/people/?country=PL">2</a>' in body


def test_members_can_colour_the_map_by_people(member_client, network):
    body = member_client.get("/directory/map/", {"show": "people"}).content.decode()

    poland = tile(body, "PL")
    assert poland.startswith('<a href="/directory/people/?country=PL"')
    assert "map-step-5" in poland
    assert "map-step-3" in tile(body, "SK")
    assert "map-step-0" in tile(body, "HU")


def test_visitors_cannot_count_people_even_when_asking(network):
    body = Client().get("/directory/map/", {"show": "people"}).content.decode()

    assert "map-step-0" in tile(body, "SK")
    assert "Secret Slovak" not in body


def test_the_followed_link_shows_that_country(member_client, network):
    response = member_client.get("/directory/organisations/", {"country": "HU"})

    assert len(response.context["organisations"]) == 3


def test_the_map_uses_classes_and_no_style_attributes(network):
    body = Client().get("/directory/map/").content.decode()

    assert " style=" not in body
    assert "<style" not in body


def test_colour_steps_split_the_range_into_fifths():
    assert [step_of(n, 10) for n in (0, 1, 2, 3, 5, 8, 10)] == [0, 1, 1, 2, 3, 4, 5]
    assert [step_of(n, 1) for n in (0, 1)] == [0, 5]
    assert [(s.number, s.low, s.high) for s in legend(10)] == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10)]
    assert [(s.number, s.low, s.high) for s in legend(3)] == [(2, 1, 1), (4, 2, 2), (5, 3, 3)]
    assert legend(0) == []


def test_the_grid_has_one_place_per_country():
    assert len(set(GRID.values())) == len(GRID)


@pytest.mark.django_db
def test_map_query_count_does_not_grow_with_rows(member_client, django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            PersonFactory(country=("HU", "PL", "DE", "FR", "IT")[i % 5])

    add(10)
    with django_assert_max_num_queries(20) as few:
        member_client.get("/directory/map/")
    add(90)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get("/directory/map/")

    assert response.status_code == 200
