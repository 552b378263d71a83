"""Counts that stop at a bound: exact below it, "more than" above it, and paging that works either side."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from rare.core import paging
from rare.core.paging import BoundedCount, BoundedPaginator, bounded_count
from rare.monitor.models import Measure
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def test_a_count_is_exact_up_to_the_bound_and_says_more_than_above_it():
    MeasureFactory.create_batch(5)
    rows = Measure.objects.order_by("pk")

    assert bounded_count(rows, 5) == BoundedCount(5, exact=True)
    assert bounded_count(rows, 4) == BoundedCount(4, exact=False)
    assert bounded_count(list(rows), 4) == BoundedCount(4, exact=False)
    with translation.override("en"):
        assert str(bounded_count(rows, 5)) == "5"
        assert str(BoundedCount(10_000, exact=False)) == "more than 10,000"


def test_the_database_reads_at_most_one_row_more_than_the_bound(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_BOUND", 3)
    with CaptureQueriesContext(connection) as captured:
        bounded_count(Measure.objects.order_by("-pk"))
    (query,) = captured.captured_queries
    assert "LIMIT 4" in query["sql"]
    assert "ORDER BY" not in query["sql"]


def _pages(paginator: BoundedPaginator, number) -> tuple:
    page = paginator.get_page(number)
    return page.number, len(page.object_list), page.has_previous(), page.has_next(), paginator.pages_more_than


def test_a_bounded_paginator_pages_on_past_the_bound_and_finds_the_end():
    MeasureFactory.create_batch(7)
    rows = Measure.objects.order_by("pk")

    def fresh():
        return BoundedPaginator(rows, 2, bound=4)

    assert _pages(fresh(), 1) == (1, 2, False, True, 2)  # more than 4 rows: more than 2 pages
    assert _pages(fresh(), 3) == (3, 2, True, True, 3)  # counts as far as page 3, and sees one more row
    assert _pages(fresh(), 4) == (4, 1, True, False, None)  # the end: the count is exact again
    assert _pages(fresh(), 99) == (4, 1, True, False, None)  # past the end: the last page, as Django does
    assert _pages(fresh(), "nonsense") == (1, 2, False, True, 2)
    assert not fresh().count_exact
    seen = [m.pk for n in range(1, 5) for m in fresh().get_page(n).object_list]
    assert seen == list(rows.values_list("pk", flat=True))


def test_below_the_bound_it_is_django_s_paginator():
    MeasureFactory.create_batch(5)
    paginator = BoundedPaginator(Measure.objects.order_by("pk"), 2, bound=10)
    assert (paginator.count, paginator.num_pages, paginator.count_exact) == (5, 3, True)
    assert paginator.pages_more_than is None
    assert paginator.count_text == "5"
