"""A participant answers an anonymous session feedback form on a phone; the team then sees the results."""

from __future__ import annotations

from playwright.sync_api import expect

from rare.learning.feedback import services
from rare.learning.models import AnonymousAnswer
from rare.programme.models import Membership
from tests.e2e.conftest import _open_page, assert_accessible, horizontal_overflow
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, FeedbackFormFactory, SessionFactory
from tests.learning.helpers import member


def test_a_participant_answers_on_a_phone_and_the_team_sees_results_after_three(
    browser, live_server, narrow_page, browser_log
):
    session = SessionFactory(title="Meeting MEPs")
    form = FeedbackFormFactory(session=session)
    programme = session.camp.programme
    earlier = [member(programme, attends=session) for _ in range(2)]
    for user in earlier:
        services.submit_answer(form=form, person=user.person, overall=4, usefulness=4, comment="Useful.")
    participant = member(programme, attends=session)
    team = member(programme, Membership.Role.TEAM)
    page = narrow_page
    page.set_default_timeout(60_000)  # a busy machine renders the first page slowly

    sign_in(page, participant.email, PASSWORD)
    page.goto("/learning/feedback/")
    page.get_by_role("link", name="Session feedback: Meeting MEPs").click()
    expect(page.locator("main")).to_contain_text("cannot be changed")
    assert ("answer form", horizontal_overflow(page)) == ("answer form", 0)
    assert_accessible(page, "the feedback form at 320 px")
    page.get_by_role("group", name="Overall, how was it?").get_by_label("5").check()
    page.get_by_role("group", name="How useful is it for your work?").get_by_label("3").check()
    page.get_by_label("Comment").fill("The role play with a mock MEP was the best part.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".messages")).to_contain_text("your answer was recorded")
    assert AnonymousAnswer.objects.filter(form=form).count() == 3

    context, team_page = _open_page(browser, live_server, browser_log, viewport={"width": 320, "height": 640})
    team_page.set_default_timeout(60_000)
    try:
        sign_in(team_page, team.email, PASSWORD)
        team_page.goto("/learning/feedback/results/")
        team_page.get_by_role("link", name="Session feedback: Meeting MEPs").click()
        main = team_page.locator("main")
        expect(main).to_contain_text("3 of 3 who may answer")
        expect(main).to_contain_text("The role play with a mock MEP was the best part.")
        expect(main).not_to_contain_text(participant.person.name)
        assert ("results", horizontal_overflow(team_page)) == ("results", 0)
        assert_accessible(team_page, "the results at 320 px")
    finally:
        context.close()
