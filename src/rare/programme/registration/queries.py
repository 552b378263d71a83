"""Reads of registrations and attendance, each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rare.community.models import Person
from rare.programme.models import Attendance, Camp, Registration, Session

Status = Registration.Status


def camp_for_registration(slug: str) -> Camp:
    """The camp with its programme; raises Camp.DoesNotExist."""
    return Camp.objects.select_related("programme").get(slug=slug)


def closes_at(camp: Camp) -> dt.datetime:
    """When members stop being able to register, change or cancel: the deadline, else the camp's start."""
    if camp.registration_deadline is not None:
        return camp.registration_deadline
    return timezone.make_aware(dt.datetime.combine(camp.starts_on, dt.time.min))


def is_open(camp: Camp, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) < closes_at(camp)


def registration_of(camp: Camp, person: Person | None) -> Registration | None:
    if person is None:
        return None
    return Registration.objects.filter(camp=camp, person=person).first()


def attendance_of(camp: Camp, person: Person) -> list[tuple[Session, bool | None]]:
    """The camp's sessions with whether the person was recorded present (None: nothing recorded)."""
    sessions = list(Session.objects.filter(camp=camp).order_by("starts_at"))
    recorded = dict(Attendance.objects.filter(session__camp=camp, person=person).values_list("session_id", "present"))
    return [(session, recorded.get(session.pk)) for session in sessions]


def _has_text(field: str) -> Q:
    return Q(GreaterThan(Length(field), 0))


@dataclass(frozen=True)
class Counts:
    registered: int
    cancelled: int
    accommodation: int
    dietary: int
    access: int


def counts_for(camp: Camp) -> Counts:
    """The numbers the team plans with, in one query. Needs are counted among active registrations only."""
    active = Q(status=Status.REGISTERED)
    row = Registration.objects.filter(camp=camp).aggregate(
        registered=Count("pk", filter=active),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        accommodation=Count("pk", filter=active & Q(needs_accommodation=True)),
        dietary=Count("pk", filter=active & _has_text("dietary_needs")),
        access=Count("pk", filter=active & _has_text("access_needs")),
    )
    return Counts(**row)


def registrations_for_team(
    camp: Camp, *, status: str = "", country: str = "", search: str = "", ids: list[int] | None = None
) -> QuerySet[Registration]:
    """The camp's registrations with person and organisation joined in, filtered as the team asks."""
    rows = Registration.objects.filter(camp=camp).select_related("person__organisation", "person__user")
    if status:
        rows = rows.filter(status=status)
    if country:
        rows = rows.filter(person__country=country)
    if search:
        rows = rows.filter(Q(person__name__icontains=search) | Q(person__organisation__name__icontains=search))
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.order_by("person__name", "pk")


def countries_registered(camp: Camp) -> list[str]:
    """Country codes of the people registered for the camp, for the country filter."""
    return sorted(
        set(
            Registration.objects.filter(camp=camp)
            .exclude(person__country="")
            .values_list("person__country", flat=True)
            .distinct()
        )
    )


def sessions_of(camp: Camp) -> list[Session]:
    return list(Session.objects.filter(camp=camp).order_by("starts_at"))


def attendance_sheet(session: Session) -> list[tuple[Registration, bool | None]]:
    """The people registered for the session's camp, each with whether they were recorded present
    (None: nothing recorded yet)."""
    registrations = list(
        Registration.objects.filter(camp_id=session.camp_id, status=Status.REGISTERED)
        .select_related("person__organisation")
        .order_by("person__name", "pk")
    )
    recorded = dict(Attendance.objects.filter(session=session).values_list("person_id", "present"))
    return [(registration, recorded.get(registration.person_id)) for registration in registrations]


def people_to_remind_before_deadline(camp: Camp) -> QuerySet[Person]:
    """Participants of the camp's programme with an active account who have not registered (or cancelled)."""
    from rare.programme.models import Membership

    return (
        Person.objects.filter(
            memberships__programme_id=camp.programme_id,
            memberships__role=Membership.Role.PARTICIPANT,
            user__is_active=True,
        )
        .exclude(registrations__camp=camp)
        .select_related("user")
        .distinct()
    )


def registration_for_team(camp: Camp, pk: int) -> Registration:
    """One registration of the camp with its person, for the team; Http404 if it is not this camp's."""
    return get_object_or_404(
        Registration.objects.select_related("person__organisation", "person__user"), camp=camp, pk=pk
    )


def registration_ids(camp: Camp) -> list[int]:
    """The ids a bulk action on this camp's list may name."""
    return list(Registration.objects.filter(camp=camp).values_list("pk", flat=True))
