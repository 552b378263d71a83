"""Writes of the solidarity app: reporting an alert, moving it along its workflow, its evidence files
and the responses members pledge."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from rare.core.audit import record
from rare.core.notifications import notify
from rare.core.visibility import Visibility
from rare.monitor.services import note_verified_alert
from rare.solidarity.models import Alert, AlertEvidence, AlertUpdate, Pledge

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
    # Everyone allowed to see the alert hears of it at once (or in their digest), in their language.
    notify(
        kind="alert.verified",
        target=alert,
        recipients=None,
        topic={"category": alert.category, "country": str(alert.country)},
        dedupe_key=f"alert.verified:{alert.pk}",
    )
    note_verified_alert(alert=alert, actor=officer, request=request)  # early warning: a tactic in a new country
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


# --- Evidence files ---------------------------------------------------------------------------------


def _safe_name(filename: str, fallback: str) -> str:
    return (get_valid_filename(os.path.basename(filename or "")) or fallback)[:150]


@transaction.atomic
def add_evidence(
    *, alert: Alert, actor, data: bytes, filename: str, content_type: str, description: str = "", request=None
) -> AlertEvidence:
    """Attach a file (already checked: size and type) to an alert; stored encrypted."""
    name = _safe_name(filename, "evidence")
    evidence = AlertEvidence(
        alert=alert,
        filename=name,
        description=description,
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    evidence.file.save(name, ContentFile(data), save=False)
    evidence.save()
    record("alert.evidence_added", actor=actor, request=request, target=alert, evidence=evidence.pk, size=len(data))
    return evidence


# --- Response pledges -------------------------------------------------------------------------------

PLEDGEABLE = (Alert.Status.VERIFIED, Alert.Status.ACTIVE)


def _duty_officer_user_ids() -> list[int]:
    from rare.programme.models import Membership

    return list(
        Membership.objects.filter(role=Membership.Role.DUTY_OFFICER, person__user__is_active=True)
        .values_list("person__user_id", flat=True)
        .distinct()
    )


def _notify_pledge(pledge: Pledge, actor) -> None:
    """Tell the reporter and the duty officers (not the one who pledged) that a response was pledged."""
    alert = pledge.alert
    recipients = set(_duty_officer_user_ids())
    if alert.reporter_id is not None:
        recipients.add(alert.reporter_id)
    recipients.discard(getattr(actor, "pk", None))
    if not recipients:
        return
    notify(
        kind="alert.pledged",
        target=alert,
        recipients=sorted(recipients),
        topic={"category": alert.category, "country": str(alert.country)},
        dedupe_key=f"alert.pledged:{pledge.pk}",
    )


@transaction.atomic
def pledge_response(*, alert: Alert, organisation, actor, kind: str, note: str = "", request=None) -> Pledge:
    """A member commits their organisation to a response on a verified or active alert."""
    if alert.status not in PLEDGEABLE:
        raise ValidationError(_("Responses can be pledged only on verified or active alerts."), code="status")
    if kind not in Pledge.Kind.values:
        raise ValidationError(_("Choose a kind of response."), code="kind")
    pledge = Pledge.objects.create(
        alert=alert,
        organisation=organisation,
        pledged_by=actor,
        person=getattr(actor, "person", None),
        kind=kind,
        note=note.strip(),
    )
    record(
        "pledge.made",
        actor=actor,
        request=request,
        target=alert,
        pledge=pledge.pk,
        kind=kind,
        organisation=getattr(organisation, "pk", None),
    )
    _notify_pledge(pledge, actor)
    return pledge


@transaction.atomic
def mark_pledge_done(
    *,
    pledge: Pledge,
    actor,
    evidence: str = "",
    data: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    request=None,
) -> Pledge:
    """The response happened: record what shows it (a link, a description, optionally a file)."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.PLEDGED:
        raise ValidationError(_("Only a pledged response can be marked done."), code="status")
    if not evidence.strip() and not data:
        raise ValidationError(_("Say what shows the response was made, or attach a file."), code="evidence")
    pledge.status = Pledge.Status.DONE
    pledge.done_at = timezone.now()
    pledge.evidence = evidence.strip()
    if data:
        name = _safe_name(filename, "evidence")
        pledge.evidence_file.save(name, ContentFile(data), save=False)
        pledge.evidence_filename = name
        pledge.evidence_content_type = content_type
    pledge.save()
    record(
        "pledge.done",
        actor=actor,
        request=request,
        target=pledge.alert,
        pledge=pledge.pk,
        kind=pledge.kind,
        file=bool(data),
    )
    return pledge


@transaction.atomic
def withdraw_pledge(*, pledge: Pledge, actor, request=None) -> Pledge:
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.PLEDGED:
        raise ValidationError(_("Only a pledged response can be withdrawn."), code="status")
    pledge.status = Pledge.Status.WITHDRAWN
    pledge.save(update_fields=["status", "updated_at"])
    record("pledge.withdrawn", actor=actor, request=request, target=pledge.alert, pledge=pledge.pk, kind=pledge.kind)
    return pledge
