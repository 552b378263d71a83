"""The action plan in a real browser: a team member changes an action's status and progress, sees the
change in its history and in the overview's counts, on a desktop and on a phone-sized screen, with axe
accessibility checks along the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from rare.alliance.plan.models import Action
from rare.programme.models import Membership
from tests.e2e.conftest import assert_accessible, horizontal_overflow
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)


def sign_in(page, live_server, user) -> None:
    """Give the browser the session of a signed-in member (the sign-in itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def plan(transactional_db):
    # Content types are created anew after each flush of a transactional test: forget the old ids.
    ContentType.objects.clear_cache()
    today = timezone.localdate()
    objective = ObjectiveFactory(title="An EU strategy for civil society", priority__title="Civic space")
    owner = OrganisationFactory(name="Danube Civic Defence Network")
    action = ActionFactory(
        objective=objective,
        title="Joint brief with four asks",
        owners=[owner],
        due_date=today + dt.timedelta(days=30),
        status=Action.Status.IN_PROGRESS,
        progress=40,
    )
    ActionFactory(objective=objective, title="Follow-up meetings with DG JUST", due_date=today - dt.timedelta(days=5))
    person = PersonFactory(name="Team Member", user=UserFactory(), organisation=None)
    MembershipFactory(person=person, role=Membership.Role.TEAM)
    return person.user, action


@pytest.mark.parametrize("width", [1280, 390])
def test_team_member_changes_an_action_and_sees_history_and_counts(page, live_server, browser_log, plan, width):
    user, action = plan
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(60_000)  # the shared test machine can be slow; the checks stay the same
    sign_in(page, live_server, user)

    page.goto("/groups/plan/")
    expect(page.locator("#count-done")).to_have_text("0")
    expect(page.locator("#count-late")).to_have_text("1")
    assert_accessible(page, f"the plan overview at {width} px")
    assert horizontal_overflow(page) == 0

    page.get_by_role("link", name="Joint brief with four asks").click()
    page.get_by_role("link", name="Update this action").click()
    assert_accessible(page, f"the action form at {width} px")
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Progress (%)").fill("100")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#action-status")).to_have_text("done")
    history = page.locator("#action-history")
    expect(history).to_contain_text("Team Member")
    expect(history.locator('tr[data-field="status"]')).to_contain_text("in progress")
    expect(history.locator('tr[data-field="status"]')).to_contain_text("done")
    expect(history.locator('tr[data-field="progress"]')).to_contain_text("40 %")
    expect(history.locator('tr[data-field="progress"]')).to_contain_text("100 %")
    assert_accessible(page, f"the action page at {width} px")
    assert horizontal_overflow(page) == 0

    page.get_by_role("link", name="Action plan").first.click()
    expect(page.locator("#count-done")).to_have_text("1")
    expect(page.locator("#count-late")).to_have_text("1")
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("done")
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("100 %")
    browser_log.assert_clean()
