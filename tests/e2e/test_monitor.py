"""The civic-space monitor in a real browser: a visitor goes from the map to a country, and the pages
pass axe and reflow at 320 px."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from rare.monitor.demo import load_demo_monitor
from tests.e2e.conftest import assert_accessible, horizontal_overflow


def test_a_visitor_follows_a_country_from_the_ratings_map(page, live_server, browser_log):
    load_demo_monitor()
    page.goto("/monitor/")
    page.locator("a.map-tile[data-country='HU']").click()

    expect(page).to_have_url(re.compile(r"/monitor/HU/$"))
    expect(page.locator("h1")).to_have_text("Hungary: civic space")
    expect(page.locator(".rating-history tbody tr")).to_have_count(6)
    browser_log.assert_clean()


def test_monitor_pages_are_accessible_and_reflow(page, live_server, browser_log):
    load_demo_monitor()
    for path in ("/monitor/", "/monitor/SK/", "/monitor/measures/?kind=bill"):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(path)
        assert_accessible(page, path)
        page.set_viewport_size({"width": 320, "height": 640})
        assert (path, horizontal_overflow(page)) == (path, 0)
    browser_log.assert_clean()
