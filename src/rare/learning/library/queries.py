"""Reads of the resource library: every list goes through visibility, in a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from rare.learning.library.models import Resource
from rare.learning.models import Competency
from rare.programme.models import Session

RESOURCES_PER_PAGE = 25


def _tags() -> list[Prefetch]:
    return [
        Prefetch("competencies", queryset=Competency.objects.only("pk", "name", "programme_id").order_by("name")),
        Prefetch("sessions", queryset=Session.objects.select_related("camp").order_by("starts_at", "pk")),
    ]


def resources_for(
    user, *, competency: int | None = None, session: int | None = None, kind: str = "", search: str = ""
) -> QuerySet[Resource]:
    """The resources the user may see, filtered, with their competencies and sessions (three queries)."""
    resources = Resource.objects.visible_to(user)
    if competency:
        resources = resources.filter(competencies=competency)
    if session:
        resources = resources.filter(sessions=session)
    if kind:
        resources = resources.filter(kind=kind)
    if search:
        resources = resources.filter(title__icontains=search)
    return resources.prefetch_related(*_tags()).order_by("title", "pk")


def resource_for_detail() -> QuerySet[Resource]:
    """Open one with get_visible_or_404."""
    return Resource.objects.prefetch_related(*_tags())


def filter_competencies() -> QuerySet[Competency]:
    return Competency.objects.filter(resources__isnull=False).distinct().order_by("name")


def filter_sessions() -> QuerySet[Session]:
    return Session.objects.filter(resources__isnull=False).distinct().select_related("camp").order_by("-starts_at")
