"""A visitor's first walk through the public site of the demo programme, in a real browser."""

from __future__ import annotations

import re

from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from rare.demo import data as demo
from tests.e2e.conftest import assert_accessible, horizontal_overflow

BRUSSELS = next(camp for camp in demo.CAMPS if camp.number == 7)


def camp_heading(camp, language: str) -> str:
    with translation.override(language):
        return gettext("Camp %(number)s: %(title)s") % {"number": camp.number, "title": camp.title}


def switch_language(page, code: str) -> None:
    """Choose a language in the switcher; its script submits the form on change."""
    with page.expect_navigation():
        page.locator("#language-select").select_option(code)


def test_visitor_sees_the_camps_switches_to_german_and_opens_a_camp(page, browser_log):
    call_command("demo", verbosity=0)

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    camps = page.locator("section[aria-labelledby='camps-title'] .card h3 a")
    expect(camps).to_have_text([camp_heading(camp, "en") for camp in demo.CAMPS])
    assert_accessible(page, "the home page")

    switch_language(page, "de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#language-select")).to_have_value("de")
    expect(page.locator("label[for='language-select']")).to_have_text("Sprache")
    expect(page.locator(".main-nav a[href='/']")).to_have_text("Startseite")
    assert_accessible(page, "the German home page")

    page.get_by_role("link", name=camp_heading(BRUSSELS, "de"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/camps/{BRUSSELS.slug}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(camp_heading(BRUSSELS, "de"))
    expect(page.locator("main")).to_contain_text("European Parliament")
    assert_accessible(page, "a camp page in German")

    # The same pages on a phone 320 CSS pixels wide reflow without scrolling sideways (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 640})
    for path in [f"/camps/{BRUSSELS.slug}/", "/camps/", "/"]:
        page.goto(path)
        assert (path, horizontal_overflow(page)) == (path, 0)
    switch_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert ("/ in English", horizontal_overflow(page)) == ("/ in English", 0)

    browser_log.assert_clean()
