"""Writes of registrations and attendance; one transaction each, audited without any needs text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.community.models import Person
from rare.core.audit import record
from rare.programme.models import Attendance, Camp, Registration, Session
from rare.programme.registration import queries

Status = Registration.Status

# What a member gives when registering; the four needs are encrypted at rest.
FIELDS = (
    "arrives_on",
    "departs_on",
    "needs_accommodation",
    "travel_needs",
    "accommodation_needs",
    "dietary_needs",
    "access_needs",
)
NEEDS = ("travel_needs", "accommodation_needs", "dietary_needs", "access_needs")

REMINDER_DAYS_BEFORE = 3  # the automatic reminder goes out this many days before a camp's deadline
REMINDER_MEMORY = dt.timedelta(days=2)  # how long a manual reminder is remembered (once per camp and day)
DEADLINE_REMINDER_MEMORY = dt.timedelta(days=60)


class RegistrationClosed(PermissionDenied):
    """The camp's registration deadline has passed."""

    message = _("Registration for this camp has closed.")


def _ensure_open(camp: Camp) -> None:
    if not queries.is_open(camp):
        raise RegistrationClosed(RegistrationClosed.message)


def _details(data: dict[str, Any]) -> dict[str, Any]:
    return {field: data[field] for field in FIELDS if field in data}


@transaction.atomic
def register(
    *, camp: Camp, person: Person, data: dict[str, Any], actor, request: HttpRequest | None = None
) -> Registration:
    """Register the person for the camp (or register again after cancelling), before the deadline."""
    _ensure_open(camp)
    registration = Registration.objects.select_for_update().filter(camp=camp, person=person).first()
    again = registration is not None
    if registration is None:
        registration = Registration(camp=camp, person=person)
    for field, value in _details(data).items():
        setattr(registration, field, value)
    registration.status = Status.REGISTERED
    registration.save()
    record(
        "registration.created",
        actor=actor,
        request=request,
        target=registration,
        camp=camp.slug,
        again=again,
        needs_given=sorted(field for field in NEEDS if getattr(registration, field)),
    )
    return registration


@transaction.atomic
def update_registration(
    *, registration: Registration, data: dict[str, Any], actor, request: HttpRequest | None = None
) -> Registration:
    """Change a registration before the deadline; the trail names the changed fields, never their text."""
    _ensure_open(registration.camp)
    registration = Registration.objects.select_for_update().select_related("camp").get(pk=registration.pk)
    changed = []
    for field, value in _details(data).items():
        if getattr(registration, field) != value:
            setattr(registration, field, value)
            changed.append(field)
    if changed:
        registration.save()
        record(
            "registration.changed",
            actor=actor,
            request=request,
            target=registration,
            camp=registration.camp.slug,
            fields=changed,
        )
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, actor, request: HttpRequest | None = None, by_team: bool = False
) -> Registration:
    """Cancel a registration. Members can until the deadline; the team can at any time."""
    if not by_team:
        _ensure_open(registration.camp)
    if registration.status != Status.CANCELLED:
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        record(
            "registration.cancelled",
            actor=actor,
            request=request,
            target=registration,
            camp=registration.camp.slug,
            by_team=by_team,
        )
    return registration


@transaction.atomic
def cancel_many(*, camp: Camp, ids: Iterable[int], actor, request: HttpRequest | None = None) -> int:
    """The team cancels the selected registrations of a camp; returns how many were active."""
    rows = list(Registration.objects.select_for_update().filter(camp=camp, pk__in=list(ids), status=Status.REGISTERED))
    if not rows:
        return 0
    Registration.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=Status.CANCELLED, updated_at=timezone.now()
    )
    for row in rows:
        record("registration.cancelled", actor=actor, request=request, target=row, camp=camp.slug, by_team=True)
    return len(rows)


@transaction.atomic
def record_attendance(*, session: Session, present: Iterable[int], actor, request: HttpRequest | None = None) -> int:
    """Save who was present at a session among the people registered for its camp, in one statement.

    `present` holds person ids; every other registered person is recorded absent. Returns how many
    people were recorded.
    """
    registered = set(
        Registration.objects.filter(camp_id=session.camp_id, status=Status.REGISTERED).values_list(
            "person_id", flat=True
        )
    )
    present = set(present) & registered
    rows = [
        Attendance(session=session, person_id=person_id, present=person_id in present, recorded_by=actor)
        for person_id in sorted(registered)
    ]
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "person"],
        update_fields=["present", "recorded_by", "recorded_at"],
    )
    record(
        "attendance.recorded",
        actor=actor,
        request=request,
        target=session,
        camp=session.camp.slug,
        present=len(present),
        absent=len(rows) - len(present),
    )
    return len(rows)


def language_of(person: Person) -> str:
    """The language to write to someone in: their first language the platform speaks, else the default."""
    offered = {code for code, _name in settings.LANGUAGES}
    return next((code for code in person.language_codes if code in offered), settings.LANGUAGE_CODE)


def send_reminders(*, camp: Camp, actor, request: HttpRequest | None = None, ids: Iterable[int] | None = None) -> int:
    """E-mail a reminder to the people registered for the camp (or to the selected registrations).

    One background task per recipient, enqueued when the transaction commits. A person is reminded
    about a camp at most once a day, so a double click or a second team member sends nothing more.
    Returns how many reminders were queued.
    """
    from rare.programme.registration.tasks import send_camp_reminder

    rows = queries.registrations_for_team(camp, status=Status.REGISTERED, ids=list(ids) if ids is not None else None)
    today = timezone.localdate().isoformat()
    queued = 0
    with transaction.atomic():
        for registration in rows:
            person = registration.person
            if person.user is None or not person.user.is_active or not person.user.email:
                continue
            key = f"rare:registration-reminder:{camp.pk}:{person.pk}:{today}"
            if not cache.add(key, True, timeout=int(REMINDER_MEMORY.total_seconds())):
                continue
            _enqueue(send_camp_reminder, camp=camp, person=person, kind="registered")
            queued += 1
        record("registration.reminded", actor=actor, request=request, target=camp, queued=queued)
    return queued


def send_deadline_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind participants who have not registered, once, a few days before a camp's deadline.

    Runs daily: a camp is picked on the one run when its deadline lies between REMINDER_DAYS_BEFORE
    and one day less from now; a remembered key per camp and person keeps a repeated run from sending
    twice.
    """
    from rare.programme.registration.tasks import send_camp_reminder

    now = now or timezone.now()
    horizon = now + dt.timedelta(days=REMINDER_DAYS_BEFORE)
    queued = 0
    candidates = Camp.objects.filter(starts_on__gte=now.date()).select_related("programme")
    with transaction.atomic():
        for camp in candidates:
            if not (horizon - dt.timedelta(days=1) < queries.closes_at(camp) <= horizon):
                continue
            camp_queued = 0
            for person in queries.people_to_remind_before_deadline(camp):
                if not person.user.email:
                    continue
                key = f"rare:registration-deadline-reminder:{camp.pk}:{person.pk}"
                if not cache.add(key, True, timeout=int(DEADLINE_REMINDER_MEMORY.total_seconds())):
                    continue
                _enqueue(send_camp_reminder, camp=camp, person=person, kind="deadline")
                camp_queued += 1
            if camp_queued:
                record("registration.deadline_reminded", target=camp, queued=camp_queued)
            queued += camp_queued
    return queued


def _enqueue(task, *, camp: Camp, person: Person, kind: str) -> None:
    camp_id, person_id, language = camp.pk, person.pk, language_of(person)
    transaction.on_commit(lambda: task.enqueue(camp_id=camp_id, person_id=person_id, kind=kind, language=language))
