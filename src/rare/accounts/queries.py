"""Reads that matter for accounts, each in a constant number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rare.accounts.models import Invitation, MemberSession, hash_token

if TYPE_CHECKING:
    from rare.accounts.models import User


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link points to, found by the hash of its token (None when unknown)."""
    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("programme").filter(token_hash=hash_token(token)).first()


def invitations_for_team() -> QuerySet[Invitation]:
    """Every invitation, newest first, with who sent it and what it grants."""
    return Invitation.objects.select_related("invited_by", "programme", "person", "user").order_by("-created_at")


def sessions_of(user: User) -> QuerySet[MemberSession]:
    """The member's sessions that have not timed out, most recently used first."""
    from rare.accounts.services import stale_sessions_q

    return MemberSession.objects.filter(user=user).exclude(stale_sessions_q()).order_by("-last_seen_at", "-pk")


def current_session_hash(request) -> str:
    """The hash under which the requesting session is recorded ('' when it has none)."""
    from rare.accounts.services import RECORD_KEY

    session = getattr(request, "session", None)
    if session is None:
        return ""
    return session.get(RECORD_KEY) or (hash_token(session.session_key) if session.session_key else "")
