"""Reads of API tokens."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from rare.api.models import ApiToken


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked ones too, so the member sees what was revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_for_secret(secret: str) -> ApiToken | None:
    """The token (with its account) whose secret this is, whatever its state; None if there is none."""
    return ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret)).first()
