"""The benchmark's measurement (bench/measure.py) reports what a reader of its table believes it does."""

import statistics

import pytest
from bench.measure import measure_page, percentile
from bench.run import MAX_FACTOR, combine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rare.api.services import create_token
from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture
def member():
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person)
    return person.user


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]  # 1 .. 20
    assert percentile(values, 0.95) == 19.0
    assert percentile(values, 0.5) == 10.0
    assert percentile([7.0], 0.95) == 7.0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "who"),
    [("/", "visitor"), ("/directory/people/", "member"), ("/api/v1/people", "api")],
)
def test_measure_page_counts_queries_bytes_and_times(client, member, path, who):
    headers = None
    if who == "member":
        client.force_login(member)
    if who == "api":
        _token, secret = create_token(user=member, name="bench test")
        headers = {"authorization": f"Bearer {secret}"}

    result = measure_page(client, path, name=path, who=who, runs=5, warmup=1, headers=headers)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers or {})
    assert result.status == 200
    assert result.queries == len(captured.captured_queries) > 0
    assert result.bytes == len(response.content) > 0
    assert len(result.times_ms) == result.runs == 5
    assert all(t > 0 for t in result.times_ms)
    assert result.median_ms == round(statistics.median(result.times_ms), 2)
    assert result.p95_ms >= result.median_ms
    assert result.p95_ms == max(result.times_ms)  # 5 runs: the 95th percentile is the slowest


@pytest.mark.django_db
def test_a_page_that_fails_is_an_error_not_a_time(client):
    with pytest.raises(RuntimeError, match="answered 404"):
        measure_page(client, "/no-such-page/", runs=2, warmup=0)


def test_factor_is_europe_median_over_demo_median():
    def page(median):
        return {
            "name": "alerts",
            "path": "/alerts/",
            "who": "member",
            "median_ms": median,
            "p95_ms": median,
            "queries": 10,
            "bytes": 100,
        }

    rows = combine({"pages": [page(20.0)]}, {"pages": [page(70.0)]})
    assert rows[0]["factor"] == 3.5 > MAX_FACTOR
    assert rows[0]["demo"]["median_ms"] == 20.0 and rows[0]["europe"]["median_ms"] == 70.0


@pytest.mark.django_db
def test_a_slow_page_stops_after_its_time_budget_with_the_runs_it_made(client):
    result = measure_page(client, "/", runs=50, warmup=2, budget_seconds=0.0)
    assert result.runs == len(result.times_ms) == 3
