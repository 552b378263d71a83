"""A member makes an API token in a real browser: the password is asked again, the secret is shown once,
the token works against the API, and the member revokes it. The pages pass axe and reflow at 320 px."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from rare.api.models import ApiToken
from rare.programme.models import Membership
from tests.e2e.conftest import assert_accessible, horizontal_overflow
from tests.factories import PASSWORD, MembershipFactory, PersonFactory, UserFactory


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def member(transactional_db):
    person = PersonFactory(name="Token Maker", user=UserFactory())
    MembershipFactory(person=person, role=Membership.Role.PARTICIPANT)
    return person.user


def test_a_member_makes_uses_and_revokes_a_token(page, live_server, browser_log, member):
    sign_in(page, live_server, member)
    page.goto("/account/api-tokens/")
    assert_accessible(page, "the API tokens page")
    page.get_by_label("Name").fill("Monitoring script")
    page.get_by_label("Read: see what your account sees").check()
    page.get_by_role("button", name="Make the token").click()

    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    secret_field = page.locator("#new-token")
    expect(secret_field).to_be_visible()
    secret = secret_field.input_value()
    assert secret.startswith("rare_")
    assert_accessible(page, "the page showing a new token")
    page.set_viewport_size({"width": 320, "height": 640})
    assert horizontal_overflow(page) == 0

    answer = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.json()["authenticated"] is True

    page.goto("/account/api-tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The token was revoked.")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    browser_log.assert_clean()
