"""Writes of the API app: making, using and revoking personal tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from rare.api.models import ApiToken
from rare.api.queries import hash_secret
from rare.core.audit import record

TOKEN_PREFIX = "rare_"  # noqa: S105 (the public start of every token, not a secret)
# How often the "last used" time is written: not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def new_secret() -> str:
    """`rare_` and 43 URL-safe characters (32 random bytes)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_token(
    *, user, name: str, scope: str = ApiToken.Scope.READ, expires_in_days: int | None = None, request=None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored and cannot be shown again."""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"Unknown scope {scope!r}.")
    secret = new_secret()
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        scope=scope,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    record("api_token.created", actor=user, request=request, target=token, scope=scope, expires=bool(expires_at))
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, actor, request=None) -> ApiToken:
    """Revoke a token at once; a revoked token never works again. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("api_token.revoked", actor=actor, request=request, target=token)
    return token


def mark_used(token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (no audit entry: it is not a change)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
