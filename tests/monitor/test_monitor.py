"""The civic-space monitor: ratings map, country profiles with their history, measures and open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rare.core.visibility import Visibility
from rare.monitor import charts, queries
from rare.monitor.demo import load_demo_monitor
from rare.monitor.models import CountryRating, Measure
from rare.programme.models import Membership
from tests.factories import CountryRatingFactory, MeasureFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MEASURE_TITLE = r'<h3>\s*<a href="/monitor/measures/\d+/">([^<]+)</a>\s*</h3>'


def _participant():
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)
    return person.user


def _rate(code: str, *history: tuple[dt.date, str]) -> None:
    for day, rating in history:
        CountryRatingFactory(country=code, rated_on=day, rating=rating)


def test_history_is_oldest_first_and_the_latest_rating_is_current():
    _rate(
        "HU", (dt.date(2021, 3, 1), "obstructed"), (dt.date(2019, 3, 1), "narrowed"), (dt.date(2024, 3, 1), "repressed")
    )
    _rate("PT", (dt.date(2020, 1, 1), "open"))

    history = queries.rating_history("HU")
    current = queries.current_ratings()

    assert [(r.rated_on.year, r.rating) for r in history] == [
        (2019, "narrowed"),
        (2021, "obstructed"),
        (2024, "repressed"),
    ]
    assert [(r.country.code, r.rating) for r in current] == [("HU", "repressed"), ("PT", "open")]


def test_country_page_shows_current_rating_and_history_table_newest_first(client):
    _rate("HU", (dt.date(2019, 3, 1), "narrowed"), (dt.date(2023, 3, 1), "repressed"))

    response = client.get("/monitor/HU/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-current-rating="repressed"' in page
    table = page.split('class="map-table rating-history"')[1].split("</table>")[0]
    assert re.findall(r'<time datetime="([0-9-]+)">', table) == ["2023-03-01", "2019-03-01"]
    assert re.findall(r"<td>(narrowed|repressed)</td>", table) == ["repressed", "narrowed"]


def test_step_chart_steps_at_each_new_rating_and_is_labelled():
    _rate("HU", (dt.date(2019, 1, 1), "open"), (dt.date(2021, 1, 1), "obstructed"))
    chart = charts.step_chart(queries.rating_history("HU"), today=dt.date(2023, 1, 1))

    # 2019-01-01 .. 2023-01-01 spans 1461 days over 524 pixels; open is at the top, obstructed halfway.
    assert chart.path == "M100 16 H362 V102 H624"
    assert [t.label for t in chart.ticks] == ["2019", "2020", "2021", "2022", "2023"]
    assert [level.label for level in chart.levels] == ["open", "narrowed", "obstructed", "repressed", "closed"]


def test_country_page_draws_the_chart_as_an_accessible_svg(client):
    _rate("HU", (dt.date(2019, 1, 1), "open"), (dt.date(2021, 1, 1), "obstructed"))

    page = client.get("/monitor/HU/").content.decode()

    svg = page.split('<figure class="rating-chart">')[1].split("</figure>")[0]
    assert 'role="img"' in svg
    assert '<title id="rating-chart-title">Civic-space rating of Hungary over time</title>' in svg
    assert len(re.findall(r"<circle ", svg)) == 2
    assert 'class="rating-chart__line" d="M100 16 H' in svg


def test_country_without_ratings_says_so_and_unknown_code_is_404(client):
    assert "This country has not been rated yet." in client.get("/monitor/PT/").content.decode()
    assert client.get("/monitor/XX/").status_code == 404


def test_map_tiles_link_to_country_pages_and_carry_the_rating(client):
    _rate("HU", (dt.date(2024, 3, 1), "repressed"))
    _rate("PT", (dt.date(2024, 3, 1), "open"))

    page = client.get("/monitor/").content.decode()

    tiles = dict(re.findall(r'<a href="/monitor/([A-Z]{2})/"\s+class="map-tile rating-(\w+)"', page))
    assert tiles["HU"] == "repressed"
    assert tiles["PT"] == "open"
    assert tiles["DE"] == "none"
    table = page.split('class="map-table rating-table"')[1].split("</table>")[0]
    assert re.findall(r'<a href="/monitor/(\w\w)/">', table) == ["HU", "PT"]


def test_members_only_measure_is_shown_to_members_and_never_to_visitors(client):
    MeasureFactory(title="Public funding rule", country="HU", visibility=Visibility.PUBLIC)
    MeasureFactory(title="Draft smear campaign file", country="HU", visibility=Visibility.MEMBERS)

    for url in ("/monitor/HU/", "/monitor/measures/", "/monitor/data.csv", "/monitor/data.json"):
        body = b"".join(client.get(url)).decode() if url.endswith(".csv") else client.get(url).content.decode()
        assert "Public funding rule" in body, url
        assert "Draft smear campaign file" not in body, url

    client.force_login(_participant())
    assert "Draft smear campaign file" in client.get("/monitor/measures/").content.decode()
    assert "Draft smear campaign file" not in client.get("/monitor/data.json").content.decode()


def test_measures_filter_by_country_kind_and_status(client):
    MeasureFactory(title="Hungarian law", country="HU", kind="law", status="in_force")
    MeasureFactory(title="Hungarian bill", country="HU", kind="bill", status="proposed")
    MeasureFactory(title="Slovak bill", country="SK", kind="bill", status="proposed")

    def titles(query: str) -> list[str]:
        page = client.get(f"/monitor/measures/?{query}").content.decode()
        return sorted(re.findall(MEASURE_TITLE, page))

    assert titles("country=HU") == ["Hungarian bill", "Hungarian law"]
    assert titles("kind=bill") == ["Hungarian bill", "Slovak bill"]
    assert titles("status=in_force") == ["Hungarian law"]
    assert titles("country=SK&kind=bill&status=proposed") == ["Slovak bill"]
    assert titles("kind=nonsense") == ["Hungarian bill", "Hungarian law", "Slovak bill"]
    country_page = client.get("/monitor/HU/?kind=law").content.decode()
    assert re.findall(MEASURE_TITLE, country_page) == ["Hungarian law"]


def test_csv_holds_public_records_with_documented_columns(client):
    _rate("HU", (dt.date(2024, 3, 1), "repressed"))
    MeasureFactory(
        title="=Sovereignty law", country="HU", kind="law", status="in_force", introduced_on=dt.date(2023, 12, 12)
    )

    response = client.get("/monitor/data.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["record"], r["country"], r["date"], r["rating"], r["kind"], r["status"], r["title"]) for r in rows] == [
        ("rating", "HU", "2024-03-01", "repressed", "", "", ""),
        ("measure", "HU", "2023-12-12", "", "law", "in_force", "'=Sovereignty law"),
    ]
    assert rows[0]["country_name"] == "Hungary"


def test_json_holds_public_records_and_a_schema(client):
    _rate("PT", (dt.date(2022, 3, 1), "open"))
    MeasureFactory(title="Funding rule", country="PT", kind="funding_rule", status="adopted")
    MeasureFactory(title="Restricted file", country="PT", visibility=Visibility.RESTRICTED)

    data = json.loads(client.get("/monitor/data.json").content)

    assert sorted(data["schema"]["ratings"]) == [
        "country",
        "country_name",
        "date",
        "note",
        "rating",
        "source_name",
        "source_url",
    ]
    assert [(r["country"], r["date"], r["rating"]) for r in data["ratings"]] == [("PT", "2022-03-01", "open")]
    assert [(m["title"], m["kind"], m["status"]) for m in data["measures"]] == [
        ("Funding rule", "funding_rule", "adopted")
    ]
    for record in data["measures"]:
        assert set(record) <= set(data["schema"]["measures"])


def test_open_data_is_not_cached_for_a_signed_in_account(client):
    client.force_login(_participant())

    assert client.get("/monitor/data.json")["Cache-Control"] == "no-store"


def _queries(client, url: str) -> int:
    cache.clear()  # count afresh: the monitor keeps the counts behind its charts per viewer
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/monitor/", "/monitor/HU/", "/monitor/measures/", "/monitor/data.json"])
def test_query_count_does_not_grow_with_ratings_and_measures(client, url):
    client.force_login(_participant())

    def grow(size: int) -> None:
        for code in ("HU", "SK", "PT"):
            for n in range(size):
                CountryRatingFactory(country=code, rated_on=dt.date(2000, 1, 1) + dt.timedelta(days=n))
                MeasureFactory(country=code, visibility=Visibility.MEMBERS if n % 2 else Visibility.PUBLIC)

    grow(2)
    small = _queries(client, url)
    CountryRating.objects.all().delete()
    Measure.objects.all().delete()
    grow(20)
    assert _queries(client, url) == small


def test_demo_loads_illustrative_ratings_once():
    load_demo_monitor()
    load_demo_monitor()

    assert CountryRating.objects.filter(country="HU").count() == 6
    assert set(CountryRating.objects.values_list("note", flat=True)) == {
        "Illustrative demo rating, not a real assessment."
    }
    assert Measure.objects.filter(visibility=Visibility.MEMBERS).count() == 1


def test_step_chart_draws_no_step_where_the_rating_stays_the_same():
    _rate("PT", (dt.date(2019, 1, 1), "open"), (dt.date(2020, 1, 1), "open"), (dt.date(2021, 1, 1), "narrowed"))
    chart = charts.step_chart(queries.rating_history("PT"), today=dt.date(2023, 1, 1))

    assert chart.path == "M100 16 H362 V59 H624"
    assert len(chart.points) == 3
