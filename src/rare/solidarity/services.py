"""Writes of the solidarity app: reporting an alert and moving it along its workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rare.core.audit import record
from rare.core.visibility import Visibility
from rare.solidarity.models import Alert, AlertUpdate

MIN_CHECKED_SOURCES = 2


@transaction.atomic
def report_alert(
    *,
    reporter,
    country: str,
    occurred_on: dt.date,
    category: str,
    title: str,
    summary: str = "",
    details: str = "",
    sources: str = "",
    tactic: str = "",
    perpetrator: str = Alert.Perpetrator.UNKNOWN,
    severity: str = Alert.Severity.MEDIUM,
    visibility: str = Visibility.RESTRICTED,
    affected_organisations: Iterable = (),
    request=None,
) -> Alert:
    """A member reports an attack. The reporter and their organisation are named in its audience."""
    alert = Alert.objects.create(
        reporter=reporter,
        country=country,
        occurred_on=occurred_on,
        category=category,
        title=title,
        summary=summary,
        details=details,
        sources=sources,
        tactic=tactic,
        perpetrator=perpetrator,
        severity=severity,
        visibility=visibility,
    )
    person = getattr(reporter, "person", None)
    if person is not None:
        alert.allowed_people.add(person)
        if person.organisation_id is not None:
            alert.allowed_organisations.add(person.organisation_id)
    alert.affected_organisations.set(list(affected_organisations))
    record("alert.reported", actor=reporter, request=request, target=alert, category=category, severity=severity)
    return alert


def _move(alert: Alert, to: str, *, actor, text: str, request=None, action: str) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if to not in alert.allowed_next():
        raise ValidationError(_("An alert cannot move from this status to that one."), code="transition")
    before = alert.status
    alert.status = to
    alert.save(update_fields=["status", "updated_at"])
    AlertUpdate.objects.create(
        alert=alert, kind=AlertUpdate.Kind.STATUS_CHANGE, text=text, author=actor, is_public=True
    )
    record(action, actor=actor, request=request, target=alert, before=before, after=to)
    return alert


@transaction.atomic
def verify_alert(*, alert: Alert, officer, reasons: str, checked_sources: Iterable[str], request=None) -> Alert:
    """A duty officer confirms the alert against at least two of its sources, and says why."""
    lines = set(alert.source_lines)
    checked = {source.strip() for source in checked_sources if source.strip() in lines}
    if len(checked) < MIN_CHECKED_SOURCES:
        raise ValidationError(_("Check at least two of the alert's sources."), code="sources")
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for the verification."), code="reasons")
    alert = _move(
        alert, Alert.Status.VERIFIED, actor=officer, text=_("Verified."), request=request, action="alert.verified"
    )
    alert.verified_by = officer
    alert.verified_at = timezone.now()
    alert.verification_reasons = reasons.strip()
    alert.save(update_fields=["verified_by", "verified_at", "verification_reasons", "updated_at"])
    return alert


@transaction.atomic
def activate_alert(*, alert: Alert, officer, request=None) -> Alert:
    return _move(
        alert,
        Alert.Status.ACTIVE,
        actor=officer,
        text=_("Response under way."),
        request=request,
        action="alert.activated",
    )


@transaction.atomic
def resolve_alert(*, alert: Alert, officer, request=None) -> Alert:
    return _move(
        alert, Alert.Status.RESOLVED, actor=officer, text=_("Resolved."), request=request, action="alert.resolved"
    )


@transaction.atomic
def close_alert(*, alert: Alert, officer, request=None) -> Alert:
    """Close a resolved alert, or reject a reported one."""
    text = _("Closed without verification.") if alert.status == Alert.Status.REPORTED else _("Closed.")
    return _move(alert, Alert.Status.CLOSED, actor=officer, text=text, request=request, action="alert.closed")


@transaction.atomic
def add_update(*, alert: Alert, author, kind: str, text: str, is_public: bool = False, request=None) -> AlertUpdate:
    """A timeline entry: news on the case or a reply of the authorities targeted."""
    update = AlertUpdate.objects.create(alert=alert, kind=kind, text=text, is_public=is_public, author=author)
    record("alert.updated", actor=author, request=request, target=alert, kind=kind, public=is_public)
    return update
