"""The day-by-day agenda and a session page on a phone, in a real browser."""

from __future__ import annotations

import re

from django.core.management import call_command
from playwright.sync_api import expect

from rare.demo import data as demo
from rare.programme.models import Session
from tests.e2e.conftest import assert_accessible, horizontal_overflow

KICK_OFF = next(camp for camp in demo.CAMPS if camp.number == 1)


def test_agenda_and_session_page_reflow_at_320_pixels(narrow_page, browser_log):
    call_command("demo", verbosity=0)
    page = narrow_page

    page.goto(f"/camps/{KICK_OFF.slug}/")
    assert ("agenda", horizontal_overflow(page)) == ("agenda", 0)
    assert_accessible(page, "a camp agenda at 320 px")

    session = Session.objects.filter(camp__slug=KICK_OFF.slug).order_by("starts_at").first()
    page.goto(f"/camps/{KICK_OFF.slug}/sessions/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(session.title)
    expect(page.locator("main")).to_contain_text("Europe/Berlin")
    expect(page.get_by_role("link", name="Welcome slides")).to_be_visible()
    assert ("session", horizontal_overflow(page)) == ("session", 0)
    assert_accessible(page, "a session page at 320 px")
    browser_log.assert_clean()


def test_agenda_filters_by_kind_without_javascript(browser, live_server):
    call_command("demo", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 320, "height": 640}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"/camps/{KICK_OFF.slug}/")
        page.get_by_label("Kind of session").select_option("social")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"\?kind=social"))
        expect(page.locator(".agenda .tag")).to_have_text(["social"])
        expect(page.locator(".agenda")).to_contain_text("Virtual coffee in small groups")
    finally:
        context.close()


def test_team_adds_a_material_and_a_member_subscribes_on_a_phone(narrow_page, browser_log, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("demo", verbosity=0)
    page = narrow_page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("team@example.org")
    page.get_by_label("Password").fill(settings.RARE_DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    session = Session.objects.filter(camp__slug=KICK_OFF.slug).order_by("starts_at").last()
    page.goto(f"/camps/{KICK_OFF.slug}/sessions/{session.pk}/")
    page.get_by_label("Title").fill("Evaluation form")
    page.get_by_label("File").set_input_files(
        files=[{"name": "evaluation.txt", "mimeType": "text/plain", "buffer": b"How was the camp?\n"}]
    )
    page.get_by_label("Who may see it").select_option("members")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("link", name="Evaluation form")).to_be_visible()
    assert ("session with upload form", horizontal_overflow(page)) == ("session with upload form", 0)
    assert_accessible(page, "a session page with the upload form")

    page.goto("/calendar/")
    page.get_by_role("button", name="Create my calendar address").click()
    address = page.get_by_label("Your calendar address").input_value()
    assert re.fullmatch(r"https?://[^/]+/calendar/[\w-]+\.ics", address)
    assert ("calendar settings", horizontal_overflow(page)) == ("calendar settings", 0)
    assert_accessible(page, "the calendar settings")
    browser_log.assert_clean()
