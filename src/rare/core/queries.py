"""Reads of the core: the audit trail, filtered, in a constant number of queries."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from rare.core.models import AuditEntry

# Besides the platform's own apps, records of these can be the target of an audit entry.
OTHER_TARGET_APPS = ("mfa", "auth")


def audit_entries(
    *,
    action: str = "",
    actor: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    target_type: str = "",
    outcome: str = "",
) -> QuerySet[AuditEntry]:
    """Entries newest first, with their actor and target type, narrowed by the given filters.

    `action` matches exactly ("auth.login") or as a family ("auth" or "auth." for every auth.*);
    `actor` matches part of the actor's email address or their exact pseudonym; `since` and `until`
    are whole days in the platform's time zone; `target_type` is "app_label.model_name".
    """
    entries = AuditEntry.objects.select_related("actor", "target_type").order_by("-at", "-id")
    action = action.strip()
    if action:
        if "." not in action.rstrip(".") or action.endswith("."):
            entries = entries.filter(action__startswith=action.rstrip(".") + ".")
        else:
            entries = entries.filter(action=action)
    actor = actor.strip()
    if actor:
        entries = entries.filter(Q(actor__email__icontains=actor) | Q(actor_label=actor))
    if since:
        entries = entries.filter(at__gte=_start_of(since))
    if until:
        entries = entries.filter(at__lt=_start_of(until + dt.timedelta(days=1)))
    if target_type:
        app_label, _, model_name = target_type.partition(".")
        entries = entries.filter(target_type__app_label=app_label, target_type__model=model_name)
    if outcome:
        entries = entries.filter(outcome=outcome)
    return entries


def target_type_choices() -> list[tuple[str, str]]:
    """("app_label.model_name", "Verbose name") of the models an entry can point at, by name."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("rare.") or model._meta.app_label in OTHER_TARGET_APPS
    ]
    return sorted(choices, key=lambda choice: choice[1].lower())


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
