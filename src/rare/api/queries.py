"""Reads of API tokens."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Prefetch, QuerySet

from rare.api.models import ApiToken
from rare.community.models import Person
from rare.programme.models import Camp, Programme, Session


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked ones too, so the member sees what was revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_for_secret(secret: str) -> ApiToken | None:
    """The token (with its account) whose secret this is, whatever its state; None if there is none."""
    return ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret)).first()


# --- Programmes, camps and sessions: public, as on /camps/ (rare.programme.camps.queries reads one
# programme at a time; the API lists across programmes with the same related data). ---------------


def programmes(*, status: str = "") -> QuerySet[Programme]:
    found = Programme.objects.all()
    if status:
        found = found.filter(status=status)
    return found.order_by("-starts_on", "pk")


def camps(*, programme: str = "", country: str = "") -> QuerySet[Camp]:
    found = Camp.objects.select_related("programme").annotate(session_count=Count("sessions", distinct=True))
    if programme:
        found = found.filter(programme__slug=programme)
    if country:
        found = found.filter(country=country)
    return found.order_by("-programme__starts_on", "number", "pk")


def sessions(*, camp: str = "", kind: str = "") -> QuerySet[Session]:
    """Sessions with their camp and speakers (names only), in two queries a page."""
    speakers = Prefetch("speakers", queryset=Person.objects.only("pk", "name").order_by("name", "pk"))
    found = Session.objects.select_related("camp").prefetch_related(speakers)
    if camp:
        found = found.filter(camp__slug=camp)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("starts_at", "pk")
