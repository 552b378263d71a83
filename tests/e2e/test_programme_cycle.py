"""The whole programme cycle in a real browser, from a visitor's application to the member's calendar.

A visitor applies to an open call; a reviewer of the programme team scores the application and the team
accepts it; the applicant opens the e-mailed invitation and joins as a participant; the new member
registers for a camp with their needs; the team records their attendance at a session; the member
creates their personal calendar address, and a calendar client reading it gets the camp's sessions.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import icalendar
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from rare.programme.models import Application, Attendance, Membership, Programme, Registration
from tests.e2e.conftest import _open_page, assert_accessible
from tests.e2e.helpers import invitation_path, sign_in
from tests.factories import (
    PASSWORD,
    CallFactory,
    CampFactory,
    MembershipFactory,
    PersonFactory,
    ProgrammeFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)

CALL_TITLE = "Call for applications: RARE cohort 9"
APPLICANT = "Mira Novak"
APPLICANT_EMAIL = "mira.novak@example.net"
APPLICANT_PASSWORD = "seven blue herons over the lake"


def _programme_with_a_call_and_a_camp():
    """A programme whose call is open, a camp in five weeks with three sessions, and its team coordinator."""
    today = timezone.localdate()
    programme = ProgrammeFactory(
        name="RARE cohort 9",
        status=Programme.Status.UPCOMING,
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=400),
    )
    CallFactory(programme=programme, title=CALL_TITLE, slug="rare-cohort-9")
    ThemeFactory(slug="civic-space", name="Civic space")
    camp = CampFactory(
        programme=programme,
        number=1,
        slug="camp-1-lisbon",
        title="Kick-off in Lisbon",
        city="Lisbon",
        country="PT",
        time_zone="Europe/Lisbon",
        starts_on=today + dt.timedelta(days=35),
        ends_on=today + dt.timedelta(days=37),
    )
    opening = SessionFactory(camp=camp, title="Coalitions across borders")
    SessionFactory(camp=camp, title="Litigation clinic", starts_at=opening.starts_at + dt.timedelta(days=1))
    SessionFactory(camp=camp, title="Dinner by the river", kind="social", starts_at=opening.ends_at)
    # A camp of another programme, which the new member has nothing to do with and must not see in the feed.
    SessionFactory(title="Someone else's workshop")
    coordinator = UserFactory(email="coordinator@example.org", name="Anna Weber")
    MembershipFactory(
        programme=programme, person=PersonFactory(user=coordinator, name="Anna Weber"), role=Membership.Role.TEAM
    )
    return programme, camp, opening


def test_from_application_to_calendar(browser, live_server, page, browser_log, tasks_run_now):
    programme, camp, opening = _programme_with_a_call_and_a_camp()
    mail.outbox = []
    team_context, team = _open_page(browser, live_server, browser_log)
    try:
        # 1. A visitor finds the open call and applies; the confirmation e-mail arrives.
        page.goto("/calls/")
        page.get_by_role("link", name=CALL_TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(CALL_TITLE)
        assert_accessible(page, "the open call")
        page.get_by_label("Your name").fill(APPLICANT)
        page.get_by_label("Email address").fill(APPLICANT_EMAIL)
        page.get_by_label(re.compile(r"^Organisation")).fill("Ljubljana Rights Centre")
        page.get_by_label("Country").select_option("SI")
        page.get_by_label("Your role in the organisation").fill("Executive director")
        page.get_by_label("Seniority").select_option("director")
        page.get_by_label("Track record").fill("We won a case on the right to protest at the Constitutional Court.")
        page.get_by_label("Motivation").fill("We want allies for our work on civic space in the region.")
        page.get_by_label("Civic space").check()
        page.get_by_label("I agree that the programme team stores this application").check()
        page.get_by_role("button", name="Send my application").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for applying")
        assert [m.to for m in mail.outbox] == [[APPLICANT_EMAIL]]

        # 2. A reviewer of the programme team reads the application and scores it.
        sign_in(team, "coordinator@example.org", PASSWORD)
        team.goto("/team/calls/")
        team.get_by_role("link", name=CALL_TITLE).click()
        team.get_by_role("link", name=APPLICANT).click()
        expect(team.locator("main")).to_contain_text("We want allies for our work on civic space")
        team.get_by_label("5 (excellent)").check()
        team.get_by_label("Comment").fill("Strong and focused.")
        team.get_by_role("button", name="Save my score").click()
        expect(team.get_by_role("heading", name="Scores of the other reviewers")).to_be_visible()

        # 3. The team accepts the application from the list, which e-mails the applicant an invitation.
        team.get_by_role("link", name=re.compile("^Applications: ")).click()
        team.get_by_label(f"Select {APPLICANT}").check()
        team.get_by_label("With the selected applications").select_option("accepted")
        team.get_by_role("button", name="Apply to selected").click()
        expect(team.locator(".messages")).to_contain_text("1 application changed.")
        application = Application.objects.get(email=APPLICANT_EMAIL)
        assert (application.status, application.reviews.get().score) == (Application.Status.ACCEPTED, 5)
        invitation_mail = mail.outbox[-1]
        assert invitation_mail.to == [APPLICANT_EMAIL]

        # 4. The applicant opens the invitation link, chooses a name and password and joins the programme.
        page.goto(invitation_path(invitation_mail))
        page.get_by_label("Your name").fill(APPLICANT)
        page.get_by_label(re.compile(r"^Password:?$")).fill(APPLICANT_PASSWORD)
        page.get_by_label("Password again").fill(APPLICANT_PASSWORD)
        page.get_by_role("button", name="Create account").click()
        expect(page.locator(".signed-in")).to_contain_text(APPLICANT)
        membership = Membership.objects.get(person__user__email=APPLICANT_EMAIL, programme=programme)
        assert membership.role == Membership.Role.PARTICIPANT

        # 5. The new member registers for the programme's camp with travel, dietary and access needs.
        page.goto(camp.get_absolute_url())
        page.get_by_role("link", name="Register, or see your registration").click()
        page.get_by_label("Travel needs").fill("Night train from Ljubljana; I need a visa letter")
        page.get_by_label("Dietary needs").fill("No nuts, please")
        page.get_by_label("Access needs").fill("Step-free rooms")
        page.get_by_role("button", name="Register", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("You are registered for this camp.")
        assert_accessible(page, "the registration page")

        # 6. The team sees the registration with the needs and records the member present at a session.
        team.goto(camp.get_absolute_url())
        team.get_by_role("link", name="Registrations and attendance (team)").click()
        expect(team.locator("main")).to_contain_text("No nuts, please")
        team.get_by_role("link", name="Attendance").click()
        team.get_by_role("link", name=opening.title).click()
        team.get_by_label(APPLICANT).check()
        team.get_by_role("button", name="Save attendance").click()
        expect(team.locator(".messages")).to_contain_text("Attendance saved for 1 person.")
    finally:
        team_context.close()

    registration = Registration.objects.get(camp=camp, person__user__email=APPLICANT_EMAIL)
    assert (registration.travel_needs, registration.dietary_needs, registration.access_needs) == (
        "Night train from Ljubljana; I need a visa letter",
        "No nuts, please",
        "Step-free rooms",
    )
    assert list(Attendance.objects.filter(person=registration.person).values_list("session__title", "present")) == [
        (opening.title, True)
    ]

    # 7. The member creates their personal calendar address from the camp page.
    page.goto(camp.get_absolute_url())
    page.get_by_role("link", name="Your personal calendar of sessions").click()
    page.get_by_role("button", name="Create my calendar address").click()
    address = page.get_by_label("Your calendar address").input_value()
    assert re.fullmatch(r"https?://[^/]+/calendar/[\w-]+\.ics", address)
    assert_accessible(page, "the calendar page")
    browser_log.assert_clean()

    # 8. A calendar client (no cookies, no sign-in) reads the address and gets exactly the camp's sessions.
    client = browser.new_context(base_url=live_server.url)
    try:
        response = client.request.get(urlsplit(address).path)
        status, content_type, body = response.status, response.headers["content-type"], response.body()
    finally:
        client.close()
    feed = icalendar.Calendar.from_ical(body)
    events = sorted((str(e["summary"]), e.decoded("dtstart")) for e in feed.walk("VEVENT"))
    sessions = sorted((s.title, s.starts_at) for s in camp.sessions.all())
    assert (status, content_type, events) == (200, "text/calendar; charset=utf-8", sessions)
    assert {e["dtstart"].params["TZID"] for e in feed.walk("VEVENT")} == {"Europe/Lisbon"}
