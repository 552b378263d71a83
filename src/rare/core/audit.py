"""The audit trail: who did what to which record, when, and how it ended.

Call `record("auth.login", request=request)` (or with `actor=`, `target=`, `outcome=` and details as
keyword arguments) wherever something security-relevant happens. Entries are append-only (database
triggers refuse changes), and they are written for the people at risk as much as for the team:
- detail keys that look like credentials (password, token, secret, code, key, otp, ...) are dropped
  and long values are cut short, so a careless caller cannot leak a secret into the trail;
- the client address is kept only as its network (IPv4 /24, IPv6 /48) and the user agent only as a
  coarse family such as "Firefox on Linux";
- the actor is linked to the account and also named by a pseudonym that stays when the account goes;
- a target is described by its type and id unless its model offers a safe `audit_repr()`.
Entries older than RARE_AUDIT_RETENTION_DAYS are removed by `purge_expired()`, a daily job.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from rare.core.models import AuditEntry, AuditPurgeGate

log = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SECRET_KEY_PATTERN = re.compile(r"password|passwd|token|secret|code|key|otp|credential|cookie|authoriz", re.I)
MAX_DETAIL_KEYS = 30
MAX_TEXT = 200
MAX_ITEMS = 20
MAX_DEPTH = 3
PURGE_BATCH = 2000

# Actions the platform records, with a label for the team's audit page. Other dotted names are
# accepted too; listing them here gives them a readable name in the filter.
ACTIONS = {
    "auth.login": _("Signed in"),
    "backup.created": _("Backup written"),
    "message.drafted": _("Message to members drafted"),
    "message.changed": _("Message to members changed"),
    "message.sent": _("Message to members sent"),
    "report.requested": _("Funder report requested"),
    "report.generated": _("Funder report prepared"),
    "report.failed": _("Funder report failed"),
    "report.downloaded": _("Funder report downloaded"),
    "export.downloaded": _("List exported"),
    "export.requested": _("Export of a long list requested"),
    "export.prepared": _("Export of a long list prepared"),
    "export.failed": _("Export of a long list failed"),
    "backup.restored": _("Backup restored"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.logout": _("Signed out"),
    "auth.session_expired": _("Session expired"),
    "auth.password_changed": _("Password changed"),
    "password.changed": _("Password changed"),
    "password.reset": _("Password reset"),
    "email.changed": _("Email address changed"),
    "mfa.added": _("Second factor added"),
    "mfa.removed": _("Second factor removed"),
    "mfa.recovery_codes_generated": _("Recovery codes generated"),
    "session.revoked": _("Session signed out"),
    "session.revoked_all": _("All other sessions signed out"),
    "api_token.created": _("API token made"),
    "api_token.revoked": _("API token revoked"),
    "permission.denied": _("Access denied"),
    "record.viewed": _("Restricted record viewed"),
    "record.changed": _("Record changed"),
    "invitation.created": _("Invitation sent"),
    "invitation.accepted": _("Invitation accepted"),
    "account.invited": _("Account invited"),
    "account.disabled": _("Account disabled"),
    "account.erased": _("Account erased"),
    "privacy.export": _("Personal data downloaded"),
    "profile.consent_changed": _("Public profile consent changed"),
    "travel_mode.on": _("Travel mode switched on"),
    "travel_mode.off": _("Travel mode lifted"),
    "audit.viewed": _("Audit trail viewed"),
    "audit.purged": _("Old audit entries purged"),
    "keys.rotated": _("Encryption keys rotated"),
    "registration.created": _("Registered for a camp"),
    "registration.changed": _("Camp registration changed"),
    "registration.cancelled": _("Camp registration cancelled"),
    "registration.needs_viewed": _("Registration needs viewed"),
    "registration.exported": _("Registrations exported"),
    "registration.reminded": _("Camp reminders sent"),
    "registration.deadline_reminded": _("Registration deadline reminders sent"),
    "attendance.recorded": _("Attendance recorded"),
    "material.uploaded": _("Session material added"),
    "material.downloaded": _("Restricted session material downloaded"),
    "calendar.feed_reset": _("Personal calendar address reset"),
    "decision.proposed": _("Proposal put to a vote"),
    "decision.answered": _("Proposal answered"),
    "decision.closed": _("Proposal closed"),
    "decision.reminded": _("Proposal reminders sent"),
    "decision.outcome_recorded": _("Proposal outcome recorded"),
    "statement.created": _("Joint statement drafted"),
    "statement.revised": _("Joint statement revised"),
    "statement.opened": _("Joint statement opened for signature"),
    "statement.signed": _("Joint statement signed"),
    "statement.signature_withdrawn": _("Joint statement signature withdrawn"),
    "statement.published": _("Joint statement published"),
    "statement.withdrawn": _("Joint statement withdrawn"),
    "competency.framework_created": _("Default competency framework created"),
    "competency.added": _("Competency added"),
    "competency.changed": _("Competency changed"),
    "competency.moved": _("Competency moved"),
    "competency.retired": _("Competency retired"),
    "competency.restored": _("Competency assessed again"),
    "competency.session_linked": _("Session linked to a competency"),
    "assessment_round.created": _("Assessment round created"),
    "assessment.submitted": _("Self-assessment submitted"),
    "assessment.changed": _("Self-assessment changed"),
    "assessment.reminded": _("Self-assessment reminders sent"),
    "learning_plan.item_added": _("Learning plan item added"),
    "learning_plan.item_done": _("Learning plan item done"),
    "learning_plan.item_reopened": _("Learning plan item reopened"),
    "learning_plan.item_removed": _("Learning plan item removed"),
    "feedback.form_created": _("Feedback form created"),
    "feedback.answered": _("Feedback form answered"),
    "resource.added": _("Library resource added"),
    "resource.changed": _("Library resource changed"),
    "resource.downloaded": _("Restricted library resource downloaded"),
    "application.submitted": _("Application submitted"),
    "application.viewed": _("Application viewed"),
    "application.reviewed": _("Application scored"),
    "application.decided": _("Decision on an application"),
    "application.notified": _("Applicant told they were not selected"),
    "alert.reported": _("Alert reported"),
    "alert.verified": _("Alert verified"),
    "alert.activated": _("Alert set active"),
    "alert.resolved": _("Alert resolved"),
    "alert.closed": _("Alert closed"),
    "alert.updated": _("Alert timeline entry added"),
    "notifications.preferences_changed": _("Notification preferences changed"),
    "alert.evidence_added": _("Evidence file added to an alert"),
    "alert.evidence_downloaded": _("Alert evidence file downloaded"),
    "measure.recorded": _("Restrictive measure recorded"),
    "measure.tactic_set": _("Tactic of a measure set"),
    "spillover.linked": _("Spill-over link added"),
    "spillover.unlinked": _("Spill-over link removed"),
    "spillover.warned": _("Early warning sent: a tactic seen in a new country"),
    "pledge.made": _("Response pledged on an alert"),
    "pledge.done": _("Pledged response marked done"),
    "pledge.withdrawn": _("Pledged response withdrawn"),
    "pledge.evidence_downloaded": _("Evidence of a response downloaded"),
    "action.created": _("Action added to the plan"),
    "action.changed": _("Action of the plan changed"),
    "action.milestone_added": _("Milestone added to an action"),
    "action.milestone_done": _("Milestone of an action marked done or reopened"),
    "meeting.scheduled": _("Working-group meeting scheduled"),
    "meeting.changed": _("Working-group meeting changed"),
    "campaign.created": _("Campaign created"),
    "campaign.changed": _("Campaign changed"),
    "campaign.output_added": _("Campaign output added"),
    "engagement.logged": _("Advocacy engagement logged"),
    "engagement.changed": _("Advocacy engagement changed"),
    "engagement.follow_up_added": _("Follow-up of an engagement added"),
    "engagement.follow_up_done": _("Follow-up of an engagement marked done or reopened"),
}

Outcome = AuditEntry.Outcome


def record(
    action: str,
    *,
    actor=None,
    request=None,
    target: models.Model | None = None,
    outcome: str = Outcome.OK,
    **details: Any,
) -> None:
    """Append one entry to the audit trail.

    `actor` defaults to the signed-in user of `request`. Details are any other keyword arguments, so
    none of them can be called action, actor, request, target or outcome (nest such values instead).
    Works inside or outside a transaction: the entry is written in a savepoint, so it commits or
    rolls back with the caller's transaction. A database failure is logged and swallowed, and the
    caller's request goes on. A malformed action or outcome is a programming error: ValueError.
    """
    if not ACTION_PATTERN.fullmatch(action) or len(action) > 64:
        raise ValueError(f"Audit actions are dotted lower-case names like 'auth.login', not {action!r}.")
    if outcome not in Outcome.values:
        raise ValueError(f"Audit outcome must be one of {Outcome.values}, not {outcome!r}.")
    try:
        if actor is None and request is not None:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                actor = user
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None
        entry = AuditEntry(
            at=timezone.now(),
            action=action,
            actor=actor,
            actor_label=actor_pseudonym(actor) if actor is not None else "",
            outcome=outcome,
            details=clean_details(details),
        )
        if target is not None:
            entry.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
            entry.target_id = str(target.pk)[:64]
            entry.target_repr = describe_target(target)
        if request is not None:
            entry.network = network_of(client_ip(request))
            entry.client = client_family(request.META.get("HTTP_USER_AGENT", ""))
        with transaction.atomic():
            entry.save(force_insert=True)
    except Exception:  # the trail must never break the request it describes
        log.exception("audit: could not record %s", action)


def actor_pseudonym(user) -> str:
    """A stable pseudonym of an account: the same for all its entries, meaningless without the keys."""
    if user is None or user.pk is None:
        return ""
    return "member-" + salted_hmac("rare.core.audit.actor", str(user.pk)).hexdigest()[:12]


def describe_target(target: models.Model) -> str:
    """A short description that holds no personal or confidential text.

    A model can offer `audit_repr()` (or an `audit_repr` attribute) with a safe description; accounts
    are named by their pseudonym; anything else by its type and id.
    """
    custom = getattr(target, "audit_repr", None)
    if custom is not None:
        text = custom() if callable(custom) else custom
        return str(text)[:200]
    if isinstance(target, _user_model()):
        return actor_pseudonym(target)
    return f"{target._meta.verbose_name} #{target.pk}"[:200]


def clean_details(details: dict[str, Any], *, depth: int = 0) -> dict[str, Any]:
    """Details fit for the trail: secret-looking keys dropped, values cut short, JSON-safe."""
    cleaned: dict[str, Any] = {}
    for key, value in list(details.items())[:MAX_DETAIL_KEYS]:
        key = str(key)[:60]
        if SECRET_KEY_PATTERN.search(key):
            continue
        cleaned[key] = _clean_value(value, depth=depth)
    return cleaned


def _clean_value(value: Any, *, depth: int) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return clean_details(value, depth=depth + 1) if depth < MAX_DEPTH else "…"
    if isinstance(value, list | tuple | set | frozenset):
        if depth >= MAX_DEPTH:
            return "…"
        return [_clean_value(item, depth=depth + 1) for item in list(value)[:MAX_ITEMS]]
    if isinstance(value, models.Model):
        return describe_target(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def client_ip(request) -> str | None:
    """The client's address as the account adapter sees it (it knows about trusted proxies)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR")


def network_of(ip: str | None) -> str:
    """The network an address belongs to (IPv4 /24, IPv6 /48), never the address itself."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.strip().strip("[]"))
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chromium", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Windows", "Windows"),
    ("Linux", "Linux"),
)


def client_family(user_agent: str) -> str:
    """A coarse name of the browser and system, e.g. "Firefox on Linux"; never the raw string."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or ("Other client" if user_agent else "")


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def retention_horizon(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.RARE_AUDIT_RETENTION_DAYS)


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the entries older than the retention period; returns how many went."""
    return purge_before(retention_horizon(now))


def purge_before(horizon: dt.datetime) -> int:
    """Delete entries older than `horizon` in batches, each in its own short transaction.

    Each batch opens the gate the delete trigger checks, deletes, and closes the gate again before it
    commits, so no other transaction ever sees the gate open.
    """
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                AuditEntry.objects.filter(at__lt=horizon).order_by("at").values_list("pk", flat=True)[:PURGE_BATCH]
            )
            if not ids:
                break
            gate = AuditPurgeGate.objects.create(purge_before=horizon)
            count, _ = AuditEntry.objects.filter(pk__in=ids, at__lt=horizon).delete()
            gate.delete()
        deleted += count
    if deleted:
        record("audit.purged", deleted=deleted, horizon=horizon)
    return deleted


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()
