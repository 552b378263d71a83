"""Registering for a camp with needs on a phone, and the team's list and attendance sheet, in a real browser."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from rare.demo import data as demo
from rare.programme.models import Attendance, Programme, Registration
from tests.e2e.conftest import _open_page, assert_accessible, horizontal_overflow
from tests.e2e.helpers import sign_in
from tests.factories import CampFactory, SessionFactory


def test_member_registers_on_a_phone_and_the_team_records_attendance(
    browser, live_server, narrow_page, browser_log, settings
):
    call_command("demo", verbosity=0)
    starts = timezone.localdate() + dt.timedelta(days=40)
    camp = CampFactory(
        programme=Programme.objects.get(slug=demo.PROGRAMME["slug"]),
        number=10,
        slug="camp-10-lisbon",
        title="Lisbon",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=3),
    )
    session = SessionFactory(camp=camp, title="Coalitions across borders")
    page = narrow_page

    sign_in(page, "participant@example.org", settings.RARE_DEMO_PASSWORD)
    page.goto(f"/camps/{camp.slug}/")
    page.get_by_role("link", name="Register, or see your registration").click()
    page.get_by_label("Dietary needs").fill("No nuts, please")
    page.get_by_label("Access needs").fill("Step-free rooms")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You are registered for this camp.")
    assert ("registration", horizontal_overflow(page)) == ("registration", 0)
    assert_accessible(page, "the registration page at 320 px")

    context, team_page = _open_page(browser, live_server, browser_log, viewport={"width": 320, "height": 640})
    try:
        sign_in(team_page, "team@example.org", settings.RARE_DEMO_PASSWORD)
        team_page.goto(f"/team/camps/{camp.slug}/registrations/")
        expect(team_page.locator("main")).to_contain_text("No nuts, please")
        assert ("team list", horizontal_overflow(team_page)) == ("team list", 0)
        assert_accessible(team_page, "the registration list at 320 px")

        team_page.get_by_role("link", name="Attendance").click()
        team_page.get_by_role("link", name="Coalitions across borders").click()
        team_page.get_by_role("checkbox").first.check()
        team_page.get_by_role("button", name="Save attendance").click()
        expect(team_page.locator(".messages")).to_contain_text("Attendance saved for 1 person.")
        assert ("attendance", horizontal_overflow(team_page)) == ("attendance", 0)
        assert_accessible(team_page, "the attendance sheet at 320 px")
    finally:
        context.close()

    registration = Registration.objects.get(camp=camp, person__user__email="participant@example.org")
    assert registration.dietary_needs == "No nuts, please"
    assert Attendance.objects.get(session=session, person=registration.person).present is True
    browser_log.assert_clean()
