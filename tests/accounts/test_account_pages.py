"""allauth's pages use the platform's page layout and load scripts only as files with the CSP nonce."""

import re

import pytest
from django.urls import reverse

from tests.accounts.helpers import add_totp, reauthenticate, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_logout",
    "mfa_index",
    "mfa_deactivate_totp",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "account_reauthenticate",
    "accounts:security",
    "accounts:sessions",
]
ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password", "account_inactive"]


def assert_platform_page(html: str) -> None:
    assert 'class="site-header"' in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert re.search(r'\bsrc="/static/[^"]+"', tag), tag
        assert "nonce=" in tag, tag
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages(client, name):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory()
    add_totp(user)
    RecoveryCodes.activate(user)
    client.force_login(user)
    reauthenticate(client)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_platform_page(response.content.decode())


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_platform_page(response.content.decode())


def test_second_step_page(client):
    user = UserFactory()
    add_totp(user)
    sign_in(client, user)
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_platform_page(html)
    assert 'data-webauthn="authenticate"' in html


def test_authenticator_app_set_up_page(client):
    client.force_login(UserFactory())
    reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_platform_page(html)
    assert 'src="data:image/svg+xml;base64,' in html
