"""Reads of camps, sessions, materials and calendar feeds, each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rare.community.models import Person
from rare.programme.models import CalendarFeed, Camp, Material, Programme, Registration, Session


def current_programme() -> Programme | None:
    return Programme.objects.current()


def programme_by_slug(slug: str) -> Programme | None:
    return Programme.objects.filter(slug=slug).first()


def programmes_with_camps() -> QuerySet[Programme]:
    """Every programme that has at least one camp, newest first (for switching between programmes)."""
    return Programme.objects.filter(Exists(Camp.objects.filter(programme=OuterRef("pk")))).order_by("-starts_on")


def camps_of(programme: Programme | None) -> QuerySet[Camp]:
    if programme is None:
        return Camp.objects.none()
    return (
        Camp.objects.filter(programme=programme)
        .select_related("programme")
        .annotate(session_count=Count("sessions"))
        .order_by("number")
    )


def _speakers() -> Prefetch:
    return Prefetch("speakers", queryset=Person.objects.only("pk", "name", "slug", "user_id").order_by("name"))


def camp_with_agenda(slug: str, *, kind: str | None = None) -> Camp:
    """A camp with its sessions (of one kind, if given) and their speakers, in three queries."""
    sessions = Session.objects.order_by("starts_at", "pk").prefetch_related(_speakers())
    if kind:
        sessions = sessions.filter(kind=kind)
    return (
        Camp.objects.select_related("programme")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .get(slug=slug)
    )


def camp_by_slug(slug: str) -> Camp:
    return Camp.objects.select_related("programme").get(slug=slug)


@dataclass(frozen=True)
class Slot:
    """A session with its times in the camp's local time."""

    session: Session
    starts: dt.datetime
    ends: dt.datetime


def agenda_days(camp: Camp) -> list[tuple[dt.date, list[Slot]]]:
    """The camp's (prefetched) sessions grouped by local day, in order."""
    zone = camp.zone
    days: dict[dt.date, list[Slot]] = {}
    for session in camp.sessions.all():
        slot = Slot(session, session.starts_at.astimezone(zone), session.ends_at.astimezone(zone))
        days.setdefault(slot.starts.date(), []).append(slot)
    return sorted(days.items())


def session_of_camp(slug: str, session_id: int) -> Session:
    """One session with its camp, speakers and competencies (Session.DoesNotExist if not in that camp)."""
    return (
        Session.objects.select_related("camp__programme")
        .prefetch_related(_speakers(), "competencies")
        .get(pk=session_id, camp__slug=slug)
    )


def materials_for(session: Session, user) -> QuerySet[Material]:
    """The session's materials the user may see."""
    return (
        Material.objects.visible_to(user)
        .filter(session=session)
        .only("pk", "title", "link", "file", "size", "content_type", "visibility", "session_id", "created_at")
        .order_by("title", "pk")
    )


def material_of_session(slug: str, session_id: int) -> QuerySet[Material]:
    """The materials of one session of one camp (open one with get_visible_or_404)."""
    return Material.objects.filter(session_id=session_id, session__camp__slug=slug)


# --- Calendar feeds ------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_by_token(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("person__user").filter(token_hash=hash_token(token)).first()


def feed_of(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def feed_sessions_of_camp(camp: Camp) -> QuerySet[Session]:
    return Session.objects.filter(camp=camp).select_related("camp").order_by("starts_at", "pk")


def personal_sessions(person: Person) -> QuerySet[Session]:
    """Sessions of the camps the person is registered for, and the sessions they speak at."""
    registered = Registration.objects.filter(
        camp=OuterRef("camp"), person=person, status=Registration.Status.REGISTERED
    )
    speaking = Session.speakers.through.objects.filter(session=OuterRef("pk"), person=person)
    return (
        Session.objects.filter(Q(Exists(registered)) | Q(Exists(speaking)))
        .select_related("camp")
        .order_by("starts_at", "pk")
    )


# --- Across programmes (the API's lists): the same related data as the pages, in constant queries. ---


def all_programmes(*, status: str = "") -> QuerySet[Programme]:
    found = Programme.objects.all()
    if status:
        found = found.filter(status=status)
    return found.order_by("-starts_on", "pk")


def all_camps(*, programme: str = "", country: str = "") -> QuerySet[Camp]:
    # Counted per camp of the page (a sub-query), not by grouping every camp with every session.
    sessions = Session.objects.filter(camp=OuterRef("pk")).order_by().values("camp").annotate(n=Count("pk"))
    found = Camp.objects.select_related("programme").annotate(session_count=Coalesce(Subquery(sessions.values("n")), 0))
    if programme:
        found = found.filter(programme__slug=programme)
    if country:
        found = found.filter(country=country)
    return found.order_by("-programme__starts_on", "number", "pk")


def all_sessions(*, camp: str = "", kind: str = "") -> QuerySet[Session]:
    """Sessions of every camp with their camp and speakers (names only), in two queries a page."""
    speakers = Prefetch("speakers", queryset=Person.objects.only("pk", "name").order_by("name", "pk"))
    found = Session.objects.select_related("camp").prefetch_related(speakers)
    if camp:
        found = found.filter(camp__slug=camp)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("starts_at", "pk")
