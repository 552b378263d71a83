"""Signing in, in a real browser: password plus authenticator code, passkeys, and MFA set-up in production."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.accounts.helpers import add_totp, totp_now
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory


def fill_sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def expect_signed_in(page, user) -> None:
    expect(page.locator(".signed-in")).to_contain_text(user.get_full_name())


def add_virtual_authenticator(page) -> None:
    """Chromium's built-in virtual authenticator: a platform passkey that always verifies the user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_sign_in_with_password_and_authenticator_code(page, browser_log):
    user = UserFactory()
    secret = add_totp(user)
    page.goto("/accounts/login/")
    assert_accessible(page, "the sign-in page")
    fill_sign_in(page, user)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_accessible(page, "the second step of signing in")
    page.get_by_label("Code").fill(totp_now(secret))
    page.get_by_role("button", name="Continue").click()
    expect_signed_in(page, user)
    browser_log.assert_clean()


def test_register_a_passkey_then_sign_in_with_it(page, browser_log):
    user = UserFactory()
    add_virtual_authenticator(page)
    fill_sign_in(page, user)
    expect_signed_in(page, user)

    page.goto("/accounts/2fa/webauthn/add/")
    # Adding a second factor asks for the password again first.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/$"))
    assert_accessible(page, "the add-a-passkey page")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("h1")).to_have_text("Recovery codes")
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert authenticator.wrap().is_passwordless is True

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect_signed_in(page, user)
    browser_log.assert_clean()


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True


def test_member_without_mfa_in_production_is_sent_to_set_up_from_every_page(page, browser_log, production):
    user = UserFactory()
    fill_sign_in(page, user)
    for path in ("/", "/camps/", "/account/invitations/", "/account/privacy/my-data/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
        expect(page.get_by_role("alert")).to_contain_text("Set up a second factor to continue.")
    assert_accessible(page, "the second-factor set-up page")

    # Setting up an authenticator app opens the platform.
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto("/camps/")
    expect(page).to_have_url(re.compile(r"/camps/$"))
    browser_log.assert_clean()
