"""Reads of learning plans: the items with their sessions, and progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from rare.community.models import Person
from rare.learning.models import Resource
from rare.learning.plans.models import PlanItem
from rare.programme.models import Attendance, Programme, Session


@dataclass
class PlanRow:
    item: PlanItem
    attended: bool
    resource_visible: bool = False  # the viewer may open the item's resource

    @property
    def complete(self) -> bool:
        """Done when marked so, or, for a session, when the person attended it."""
        return self.item.done or self.attended


@dataclass
class Plan:
    rows: list[PlanRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def completed(self) -> int:
        return sum(1 for row in self.rows if row.complete)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def plan_of(person: Person, programme: Programme, *, viewer=None) -> Plan:
    """The person's plan in the programme (empty if none), in at most 3 queries. A resource the viewer
    may not see is shown without its title."""
    items = list(
        PlanItem.objects.filter(plan__person=person, plan__programme=programme)
        .select_related("session__camp", "competency", "resource")
        .order_by("created_at", "pk")
    )
    session_ids = [i.session_id for i in items if i.session_id]
    attended = set()
    if session_ids:
        attended = set(
            Attendance.objects.filter(person=person, present=True, session_id__in=session_ids).values_list(
                "session_id", flat=True
            )
        )
    resource_ids = [i.resource_id for i in items if i.resource_id]
    visible = set()
    if resource_ids and viewer is not None:
        visible = set(Resource.objects.visible_to(viewer).filter(pk__in=resource_ids).values_list("pk", flat=True))
    return Plan(
        rows=[
            PlanRow(item=i, attended=i.session_id in attended, resource_visible=i.resource_id in visible) for i in items
        ]
    )


def item_of(person: Person, programme: Programme, pk: int) -> PlanItem:
    return get_object_or_404(PlanItem, pk=pk, plan__person=person, plan__programme=programme)


def sessions_for_plan(programme: Programme):
    return Session.objects.filter(camp__programme=programme).select_related("camp").order_by("starts_at")
