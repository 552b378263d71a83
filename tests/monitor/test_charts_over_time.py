"""Charts over time on the monitor overview: alerts by category, measures by kind, alerts by country."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rare.core.visibility import viewer_key
from rare.monitor import over_time, queries
from tests.factories import AlertFactory, MeasureFactory, UserFactory
from tests.monitor.helpers import counted, day, member, team, verified_alert

pytestmark = pytest.mark.django_db


def _counts(chart) -> list[tuple]:
    return [(row.label, row.cells) for row in chart.rows]


def test_alerts_are_counted_per_year_and_category():
    verified_alert(country="HU", occurred_on=day(2022, 5), category="smear_campaign")
    verified_alert(country="HU", occurred_on=day(2024, 2), category="smear_campaign")
    verified_alert(country="PL", occurred_on=day(2024, 8), category="detention")

    charts = over_time.overview_charts(AnonymousUser())

    alerts = charts["alerts_chart"]
    assert [s.key for s in alerts.series] == ["detention", "smear_campaign"]
    assert _counts(alerts) == [("2022", [0, 1]), ("2023", [0, 0]), ("2024", [1, 1])]
    assert _counts(charts["countries_chart"]) == [("Hungary", [0, 2]), ("Poland", [1, 0])]


def test_quarters_and_filters_narrow_the_counts():
    verified_alert(country="HU", occurred_on=day(2024, 2), category="raid")
    verified_alert(country="HU", occurred_on=day(2024, 11), category="raid")
    verified_alert(country="HU", occurred_on=day(2024, 12), category="detention")
    verified_alert(country="PL", occurred_on=day(2024, 5), category="raid")
    verified_alert(country="HU", occurred_on=day(2019, 5), category="raid")

    charts = over_time.overview_charts(
        AnonymousUser(), country="HU", category="raid", start=2024, end=2024, by="quarter"
    )

    assert _counts(charts["alerts_chart"]) == [
        ("2024 Q1", [1]),
        ("2024 Q2", [0]),
        ("2024 Q3", [0]),
        ("2024 Q4", [1]),
    ]


def test_restricted_and_unverified_records_do_not_change_a_visitors_numbers():
    verified_alert(country="HU", occurred_on=day(2024, 2))
    MeasureFactory(country="HU", introduced_on=day(2024, 3), kind="law")
    visitor = AnonymousUser()
    before = over_time.overview_charts(visitor)

    verified_alert(country="HU", occurred_on=day(2024, 4), visibility="restricted")
    verified_alert(country="HU", occurred_on=day(2024, 4), visibility="members")
    AlertFactory(country="HU", occurred_on=day(2024, 4), visibility="public")  # not verified yet
    MeasureFactory(country="HU", introduced_on=day(2024, 5), kind="law", visibility="members")
    after = over_time.overview_charts(visitor)
    for_a_member = over_time.overview_charts(member())

    for name in ("alerts_chart", "measures_chart", "countries_chart"):
        assert _counts(after[name]) == _counts(before[name])
    assert _counts(for_a_member["alerts_chart"]) == [("2024", [3])]
    assert _counts(for_a_member["measures_chart"]) == [("2024", [2])]


def test_measures_are_counted_per_year_and_kind():
    MeasureFactory(country="HU", introduced_on=day(2021, 3), kind="law")
    MeasureFactory(country="SK", introduced_on=day(2021, 9), kind="bill")
    MeasureFactory(country="SK", introduced_on=day(2023, 9), kind="bill")

    rows = queries.measures_over_time(AnonymousUser(), country="SK")

    assert rows == [{"period": (2021,), "kind": "bill", "count": 1}, {"period": (2023,), "kind": "bill", "count": 1}]


def test_overview_page_draws_the_charts_with_filters(client):
    verified_alert(country="HU", occurred_on=day(2024, 2), category="detention")
    MeasureFactory(country="HU", introduced_on=day(2024, 3))

    page = client.get("/monitor/?country=HU&by=quarter&start=2024&end=2024").content.decode()

    assert re.findall(r'data-chart="([a-z-]+)"', page) == [
        "alerts-over-time",
        "measures-over-time",
        "alerts-by-country",
    ]
    assert 'aria-labelledby="alerts-over-time-title alerts-over-time-desc"' in page
    assert '<option value="HU" selected>Hungary</option>' in page
    assert '<th scope="row">2024 Q1</th>' in page


def test_nonsense_filters_are_ignored(client):
    verified_alert(country="HU", occurred_on=day(2024, 2))

    response = client.get("/monitor/?country=XX&category=nope&start=abc&end=1&by=week")

    assert response.status_code == 200
    assert '<th scope="row">2024</th>' in response.content.decode()


def _records(count: int) -> None:
    categories = ["detention", "raid", "smear_campaign", "surveillance"]
    for number in range(count):
        code = ["HU", "PL", "SK", "RO", "AT"][number % 5]
        verified_alert(
            country=code, occurred_on=day(2015 + number % 10, 1 + number % 12), category=categories[number % 4]
        )
        MeasureFactory(country=code, introduced_on=day(2015 + number % 10, 1 + number % 12), kind="law")


def test_overview_queries_do_not_grow_with_records(client):
    client.force_login(member())
    _records(3)
    client.get("/monitor/")  # the first request of a session does one-off work
    cache.clear()  # count afresh: the counts behind the charts are kept per viewer
    with CaptureQueriesContext(connection) as few:
        assert client.get("/monitor/").status_code == 200
    _records(27)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/monitor/").status_code == 200
    assert counted(many) == counted(few)


def test_country_page_charts_count_that_country_only(client):
    verified_alert(country="HU", occurred_on=day(2023, 2), category="raid")
    verified_alert(country="PL", occurred_on=day(2023, 2), category="raid")
    verified_alert(country="HU", occurred_on=day(2023, 5), category="raid", visibility="members")

    page = client.get("/monitor/HU/").content.decode()

    assert re.findall(r'data-chart="([a-z-]+)"', page) == ["alerts-over-time", "measures-over-time"]
    table = page[page.index('data-chart="alerts-over-time"') : page.index('data-chart="measures-over-time"')]
    assert re.findall(r'<th scope="row">(\d{4})</th>\s*<td>(\d+)</td>', table) == [("2023", "1")]


def test_country_page_queries_do_not_grow_with_records(client):
    client.force_login(member())
    _records(3)
    client.get("/monitor/HU/")
    cache.clear()  # count afresh: the counts behind the charts are kept per viewer
    with CaptureQueriesContext(connection) as few:
        assert client.get("/monitor/HU/").status_code == 200
    _records(27)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/monitor/HU/").status_code == 200
    assert counted(many) == counted(few)


def _alert_total(chart) -> int:
    return sum(sum(cells) for _label, cells in _counts(chart))


def test_the_counts_are_kept_per_viewer_and_never_given_to_another_visibility(client):
    """A second look within two minutes counts nothing again; a viewer who may see more (or less), or
    the same person in travel mode, never gets counts made for somebody else."""
    verified_alert(country="HU", occurred_on=day(2024, 2), visibility="public")
    verified_alert(country="HU", occurred_on=day(2024, 3), visibility="members")
    verified_alert(country="HU", occurred_on=day(2024, 4), visibility="group")
    named = member()
    verified_alert(country="HU", occurred_on=day(2024, 5), visibility="restricted").allowed_people.add(named.person)
    participant, lead = member(), team()

    totals = {
        "visitor": _alert_total(over_time.overview_charts(AnonymousUser())["alerts_chart"]),
        "participant": _alert_total(over_time.overview_charts(participant)["alerts_chart"]),
        "team": _alert_total(over_time.overview_charts(lead)["alerts_chart"]),
        "named": _alert_total(over_time.overview_charts(named)["alerts_chart"]),
    }
    assert totals == {"visitor": 1, "participant": 2, "team": 3, "named": 3}

    named.travel_mode = True
    assert _alert_total(over_time.overview_charts(named)["alerts_chart"]) == 2  # not the restricted one
    named.travel_mode = False

    with CaptureQueriesContext(connection) as again:
        assert _alert_total(over_time.overview_charts(participant)["alerts_chart"]) == 2
    assert not [query for query in again.captured_queries if "solidarity_alert" in query["sql"]]

    verified_alert(country="HU", occurred_on=day(2024, 6), visibility="members")
    assert _alert_total(over_time.overview_charts(participant)["alerts_chart"]) == 2  # kept a while
    cache.clear()
    assert _alert_total(over_time.overview_charts(participant)["alerts_chart"]) == 3


def test_viewers_without_a_role_share_one_key_and_members_each_have_their_own():
    assert viewer_key(AnonymousUser()) == viewer_key(UserFactory()) == "visitor"
    first, second = member(), member()
    assert viewer_key(first) != viewer_key(second)
    key = viewer_key(first)
    first.travel_mode = True
    assert viewer_key(first) != key
