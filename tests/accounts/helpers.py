"""Helpers shared by the account tests: signing in through the real allauth pages."""

from __future__ import annotations

import base64
import re
import secrets
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN_URL = "/accounts/login/"


def sign_in(client, user, *, password: str = PASSWORD, ip: str = "198.51.100.7", ua: str = "") -> object:
    """POST the sign-in form as a browser at `ip` would."""
    extra = {"REMOTE_ADDR": ip}
    if ua:
        extra["HTTP_USER_AGENT"] = ua
    return client.post(LOGIN_URL, {"login": user.email, "password": password}, **extra)


def reauthenticate(client, *, password: str = PASSWORD):
    return client.post(reverse("account_reauthenticate"), {"password": password})


def add_totp(user) -> str:
    """Give the account an authenticator app the way allauth stores it; returns the base32 secret."""
    from allauth.mfa.totp.internal.auth import TOTP

    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    TOTP.activate(user, secret)
    return secret


def add_webauthn_row(user) -> Authenticator:
    """An (unusable) security-key row: enough for checks that only ask whether one exists."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )


def text_without_tokens(html: str) -> str:
    """A page's HTML without the parts that differ on every response (CSRF tokens, CSP nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def totp_now(secret: str, *, offset: int = 0) -> str:
    """The current RFC 6238 code for a base32 secret (30-second steps, six digits).

    Waits for the next step when the current one is about to end, so the code stays valid while used.
    """
    if time.time() % 30 > 26:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))
