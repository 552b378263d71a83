"""Spill-over and the charts over time in a real browser: the pages pass axe and reflow at 320 px, and a
visitor goes from a measure to the measure its law was copied into."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from rare.monitor.demo import load_demo_monitor, load_demo_spillover
from rare.monitor.models import Measure
from tests.e2e.conftest import assert_accessible, horizontal_overflow
from tests.factories import AlertFactory


def _world() -> Measure:
    load_demo_monitor()
    load_demo_spillover()
    for number, category in enumerate(["detention", "raid", "smear_campaign", "surveillance"] * 3):
        AlertFactory(
            country=["HU", "PL", "SK"][number % 3],
            category=category,
            occurred_on=dt.date(2021 + number % 4, 1 + number % 12, 1),
            visibility="public",
            status="verified",
            verified_at=timezone.now(),
        )
    Client().get("/monitor/spillover/")  # warm up: the first request in a process loads every URL module
    return Measure.objects.get(country="HU", title="Sovereignty protection office law")


def test_a_visitor_follows_a_law_to_where_it_was_copied(page, live_server, browser_log):
    law = _world()
    page.goto(f"/monitor/measures/{law.pk}/")

    expect(page.locator(".spillover-graph svg[role='img']")).to_be_visible()
    page.get_by_role("link", name="Foreign-funded organisations bill").first.click()

    expect(page.locator("h1")).to_have_text("Foreign-funded organisations bill")
    browser_log.assert_clean()


def test_spillover_and_chart_pages_are_accessible_and_reflow(page, live_server, browser_log):
    law = _world()
    for path in ("/monitor/", "/monitor/?by=quarter&start=2023", "/monitor/spillover/", f"/monitor/measures/{law.pk}/"):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(path)
        for summary in page.locator("details.chart-data summary").all():
            summary.click()  # open the tables too, so that axe checks them
        assert_accessible(page, path)
        page.set_viewport_size({"width": 320, "height": 640})
        assert (path, horizontal_overflow(page)) == (path, 0)
    browser_log.assert_clean()
