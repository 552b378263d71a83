"""Reads of the programme app: camps, sessions and the current programme."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from rare.programme.models import Camp, Programme, Session


def current_programme() -> Programme | None:
    return Programme.objects.current()


def camps_of(programme: Programme | None) -> QuerySet[Camp]:
    if programme is None:
        return Camp.objects.none()
    return (
        Camp.objects.filter(programme=programme)
        .select_related("programme")
        .annotate(session_count=Count("sessions"))
        .order_by("number")
    )


def camp_with_agenda(slug: str) -> Camp:
    """A camp with its sessions and their speakers, in a constant number of queries."""
    sessions = Session.objects.order_by("starts_at").prefetch_related("speakers__organisation")
    return (
        Camp.objects.select_related("programme")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .get(slug=slug)
    )
