"""Writes of calls for applications: applying, reviewing, deciding and telling applicants.

Every function takes keyword arguments only and runs in one transaction. Audit entries name the
application, never what the applicant wrote; e-mails leave as background tasks once the transaction
commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from rare.core.audit import record
from rare.programme.models import Application, Call, Membership, Review

if TYPE_CHECKING:
    from rare.accounts.models import User

Status = Application.Status

# What the team may set, one application at a time or in bulk.
DECISIONS = (Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN, Status.SUBMITTED)


class CallClosed(Exception):
    """The call does not take applications now (not yet open, or past its deadline)."""


def is_open(call: Call, now=None) -> bool:
    now = now or timezone.now()
    return call.opens_at <= now < call.deadline


def submit_application(
    *,
    call: Call,
    name: str,
    email: str,
    organisation_name: str,
    country: str,
    role: str,
    seniority: str,
    track_record: str,
    motivation: str,
    topics: Iterable[Any] = (),
    language: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Store an application and e-mail the applicant a confirmation in their language."""
    from rare.programme.calls.tasks import send_application_confirmation

    if not is_open(call):
        raise CallClosed(call.slug)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            name=name,
            email=email.strip().lower(),
            organisation_name=organisation_name,
            country=country,
            role=role,
            seniority=seniority,
            track_record=track_record,
            motivation=motivation,
            language=language,
        )
        application.topics.set(topics)
        record("application.submitted", actor=None, request=request, target=application, call=call.slug)
        transaction.on_commit(
            lambda: send_application_confirmation.enqueue(application_id=application.pk, language=language)
        )
    return application


def submit_review(
    *, application: Application, reviewer: User, score: int, comment: str = "", request: HttpRequest | None = None
) -> Review:
    """Record (or change) this reviewer's score of the application."""
    if not 1 <= score <= 5:
        raise ValueError("A score runs from 1 to 5.")
    with transaction.atomic():
        review, created = Review.objects.update_or_create(
            application=application, reviewer=reviewer, defaults={"score": score, "comment": comment}
        )
        record(
            "application.reviewed",
            actor=reviewer,
            request=request,
            target=application,
            score=score,
            first=created,
        )
    return review


def decide(
    *,
    applications: Iterable[Application],
    status: str,
    actor: User,
    request: HttpRequest | None = None,
) -> list[Application]:
    """Set the team's decision on each application; accepting invites the applicant as a participant.

    An accepted applicant who already holds a pending invitation from this call is not invited twice.
    Returns the applications whose status changed.
    """
    from rare.accounts.services import create_invitation

    if status not in DECISIONS:
        raise ValueError(f"Not a decision: {status!r}")
    changed = []
    now = timezone.now()
    with transaction.atomic():
        ids = [a.pk for a in applications]
        rows = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call__programme", "invitation")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        for application in rows:
            if application.status == status:
                continue
            previous = application.status
            application.status = status
            application.decided_at = now if status != Status.SUBMITTED else None
            application.decided_by = actor if status != Status.SUBMITTED else None
            fields = ["status", "decided_at", "decided_by"]
            if status == Status.ACCEPTED and not _pending_invitation(application):
                with translation.override(application.language or settings.LANGUAGE_CODE):
                    invitation, _token = create_invitation(
                        invited_by=actor,
                        email=application.email,
                        name=application.name,
                        programme=application.call.programme,
                        role=Membership.Role.PARTICIPANT,
                        request=request,
                    )
                application.invitation = invitation
                fields.append("invitation")
            application.save(update_fields=fields)
            record(
                "application.decided",
                actor=actor,
                request=request,
                target=application,
                status=status,
                previous=previous,
            )
            changed.append(application)
    return changed


def _pending_invitation(application: Application) -> bool:
    invitation = application.invitation
    return invitation is not None and not invitation.is_used and not invitation.is_expired


def notify_not_selected(
    *, applications: Iterable[Application], actor: User, request: HttpRequest | None = None
) -> list[Application]:
    """E-mail a polite refusal to each application that was not selected and has not been told yet."""
    from rare.programme.calls.tasks import send_not_selected_notice

    notified = []
    now = timezone.now()
    with transaction.atomic():
        rows = Application.objects.select_for_update().filter(
            pk__in=[a.pk for a in applications], status=Status.REJECTED, notified_at__isnull=True
        )
        for application in rows.order_by("pk"):
            application.notified_at = now
            application.save(update_fields=["notified_at"])
            record("application.notified", actor=actor, request=request, target=application)
            pk = application.pk
            transaction.on_commit(lambda pk=pk: send_not_selected_notice.enqueue(application_id=pk))
            notified.append(application)
    return notified


def record_viewed(*, application: Application, actor: User, request: HttpRequest | None = None) -> None:
    """Note that a member of the team opened an application (its free text is confidential)."""
    record("application.viewed", actor=actor, request=request, target=application)
