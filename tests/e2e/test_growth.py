"""The learning journey in a real browser, on a phone-sized screen: a participant answers the kick-off needs
assessment, attends sessions, gives session feedback, answers the end assessment and sees their growth
chart; the team sees the cohort's chart."""

from __future__ import annotations

import datetime as dt
import urllib.request

from django.utils import timezone
from playwright.sync_api import expect

from rare.learning.assessments.services import ensure_default_framework
from rare.learning.models import AssessmentRound, Competency
from rare.programme.models import Membership
from tests.e2e.conftest import _open_page, assert_accessible, horizontal_overflow
from tests.e2e.helpers import sign_in
from tests.factories import (
    PASSWORD,
    AssessmentRoundFactory,
    AttendanceFactory,
    CampFactory,
    FeedbackFormFactory,
    MembershipFactory,
    PersonFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)


def _account(programme, role: str, email: str):
    user = UserFactory(email=email)
    MembershipFactory(programme=programme, person=PersonFactory(user=user), role=role)
    return user


def _rate_every_skill(page, competencies, label: str) -> None:
    for competency in competencies:
        page.get_by_role("group", name=competency.name, exact=True).get_by_label(label, exact=True).check()


def test_participant_grows_and_the_team_sees_the_cohort(browser, live_server, narrow_page, browser_log):
    # The first request loads every URL module; on a busy machine that alone can outlast the browser's timeout.
    urllib.request.urlopen(f"{live_server.url}/healthz", timeout=120).read()  # noqa: S310 (the local test server)
    now = timezone.now()
    programme = ProgrammeFactory(slug="cohort-browser")
    ensure_default_framework(programme=programme)
    competencies = list(Competency.objects.filter(programme=programme).order_by("position"))
    litigation = next(c for c in competencies if c.slug == "strategic-litigation")
    camp = CampFactory(programme=programme, slug="camp-browser", title="Strasbourg")
    workshop = SessionFactory(camp=camp, title="Strategic litigation before European courts")
    workshop.competencies.add(litigation)
    AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.NEEDS, opens_at=now - dt.timedelta(days=2))
    participant = _account(programme, Membership.Role.PARTICIPANT, "grower@example.org")
    team = _account(programme, Membership.Role.TEAM, "coach@example.org")
    page = narrow_page

    # The kick-off needs assessment, on a phone.
    sign_in(page, participant.email, PASSWORD)
    page.goto("/learning/")
    expect(page.locator("main")).to_contain_text("One assessment is waiting for your answers.")
    page.get_by_role("link", name="Kick-off needs assessment").click()
    page.get_by_label("What do you expect from the programme?").fill("Allies who litigate across borders.")
    page.get_by_label("Strategic litigation", exact=True).first.check()
    _rate_every_skill(page, competencies, "2: basic")
    assert ("needs form", horizontal_overflow(page)) == ("needs form", 0)
    assert_accessible(page, "the needs assessment at 320 px")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".messages")).to_contain_text("your answers are saved")

    # The camp: the participant attends a session and gives feedback on it.
    AttendanceFactory(session=workshop, person=participant.person)
    feedback = FeedbackFormFactory(session=workshop)
    page.goto(f"/learning/feedback/{feedback.pk}/")
    page.get_by_role("group", name="Overall, how was it?").get_by_label("5", exact=True).check()
    page.get_by_role("group", name="How useful is it for your work?").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".messages")).to_contain_text("your answer was recorded")

    # The end self-assessment.
    AssessmentRoundFactory(programme=programme, kind=AssessmentRound.Kind.END, opens_at=now - dt.timedelta(hours=1))
    page.goto("/learning/")
    page.get_by_role("link", name="End self-assessment").click()
    _rate_every_skill(page, competencies, "3: capable")
    page.get_by_role("group", name=litigation.name, exact=True).get_by_label("4: advanced").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".messages")).to_contain_text("your answers are saved")

    # The growth chart, with its table.
    page.get_by_role("link", name="My growth and learning plan").click()
    expect(page.get_by_role("heading", name="My growth")).to_be_visible()
    chart = page.locator("figure.chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_contain_text("Self-ratings of")
    row = page.locator("table.growth-table tr", has_text=litigation.name)
    expect(row).to_contain_text("+2")
    expect(row).to_contain_text(workshop.title)
    assert ("growth", horizontal_overflow(page)) == ("growth", 0)
    assert_accessible(page, "the growth page at 320 px")

    # The team sees the cohort.
    context, team_page = _open_page(browser, live_server, browser_log, viewport={"width": 320, "height": 640})
    try:
        sign_in(team_page, team.email, PASSWORD)
        team_page.goto(f"/learning/programmes/{programme.slug}/growth/")
        expect(team_page.locator("figure.chart svg[role=img]")).to_be_visible()
        expect(team_page.locator("table.growth-table tr", has_text=litigation.name)).to_contain_text("+2")
        assert ("cohort growth", horizontal_overflow(team_page)) == ("cohort growth", 0)
        assert_accessible(team_page, "the cohort growth at 320 px")

        team_page.get_by_role("link", name="Cohort needs").click()
        expect(team_page.locator("table.needs-table tr", has_text=litigation.name)).to_contain_text(workshop.title)
        assert_accessible(team_page, "the cohort needs at 320 px")
    finally:
        context.close()
