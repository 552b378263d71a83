"""How django-allauth behaves on this platform: invite-only, throttled per account and address, secrets encrypted."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.httpkit import get_client_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

MFA_CRYPTO_CONTEXT = "mfa.authenticator"


class AccountAdapter(DefaultAccountAdapter):
    """Members are invited, never self-registered."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed sign-ins per account *and* client address.

        allauth counts them per account alone, so anyone who knows a member's address could lock
        them out by failing on purpose. With the address in the key, failures from one address only
        slow down that address; the separate per-address limit in ACCOUNT_RATE_LIMITS still caps how
        many accounts one address may try.
        """
        login = credentials.get("email", credentials.get("username", "")).lower()
        ip = (get_client_ip(request) or "unknown") if request is not None else "unknown"
        return f"{login}:{ip}"


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (AES-GCM under the platform key)."""

    def encrypt(self, text: str) -> str:
        from rare.core.crypto import encrypt_text

        return encrypt_text(text, context=MFA_CRYPTO_CONTEXT)

    def decrypt(self, encrypted_text: str) -> str:
        from rare.core.crypto import decrypt_text

        return decrypt_text(encrypted_text, context=MFA_CRYPTO_CONTEXT)
