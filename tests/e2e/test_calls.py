"""A call for applications in a real browser: a visitor applies on a phone, the team scores and accepts,
and the applicant opens the invitation and joins the programme."""

from __future__ import annotations

import re

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from rare.programme.calls.demo import CALL_SLUG
from rare.programme.models import Application, Membership
from tests.e2e.conftest import assert_accessible, horizontal_overflow
from tests.e2e.helpers import invitation_path


def test_visitor_applies_team_scores_and_accepts_and_the_applicant_joins(page, browser_log, settings, tasks_run_now):
    call_command("demo", verbosity=0)
    mail.outbox = []

    # A visitor on a phone finds the open call and applies.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/calls/")
    assert ("/calls/", horizontal_overflow(page)) == ("/calls/", 0)
    page.get_by_role("link", name="Call for applications: RARE cohort 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call for applications: RARE cohort 2")
    assert (CALL_SLUG, horizontal_overflow(page)) == (CALL_SLUG, 0)
    assert_accessible(page, "the open call")
    page.get_by_label("Your name").fill("Mira Novak")
    page.get_by_label("Email address").fill("mira.novak@example.net")
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
    assert [m.to for m in mail.outbox] == [["mira.novak@example.net"]]

    # The programme team signs in, scores the application and accepts it from the list.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("team@example.org")
    page.get_by_label("Password").fill(settings.RARE_DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto("/team/calls/")
    page.get_by_role("link", name="Call for applications: RARE cohort 2").click()
    assert_accessible(page, "the list of applications")
    page.get_by_role("link", name="Mira Novak").click()
    expect(page.locator("main")).to_contain_text("We want allies for our work on civic space")
    page.get_by_label("5 (excellent)").check()
    page.get_by_label("Comment").fill("Strong and focused.")
    page.get_by_role("button", name="Save my score").click()
    expect(page.get_by_role("heading", name="Scores of the other reviewers")).to_be_visible()
    assert_accessible(page, "an application")
    page.get_by_role("link", name=re.compile("^Applications: ")).click()
    page.get_by_label("Select Mira Novak").check()
    page.get_by_label("With the selected applications").select_option("accepted")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator(".messages")).to_contain_text("1 application changed.")
    application = Application.objects.get(email="mira.novak@example.net")
    assert application.status == Application.Status.ACCEPTED

    # The applicant opens the invitation and joins the programme as a participant.
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["mira.novak@example.net"]
    page.context.clear_cookies()
    page.goto(invitation_path(invitation_mail))
    page.get_by_label("Your name").fill("Mira Novak")
    page.get_by_label(re.compile(r"^Password:?$")).fill("seven blue herons over the lake")
    page.get_by_label("Password again").fill("seven blue herons over the lake")
    page.get_by_role("button", name=re.compile("account", re.I)).click()
    expect(page.locator(".signed-in")).to_contain_text("Mira Novak")
    assert Membership.objects.filter(
        person__user__email="mira.novak@example.net",
        programme=application.call.programme,
        role=Membership.Role.PARTICIPANT,
    ).exists()
    browser_log.assert_clean()
