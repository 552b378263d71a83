"""Writes of learning plans: the participant or the team adds items and marks them done."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rare.community.models import Person
from rare.core import audit
from rare.learning.models import Competency, Resource
from rare.learning.plans.models import LearningPlan, PlanItem
from rare.programme.models import Programme, Session


@transaction.atomic
def add_item(
    *,
    person: Person,
    programme: Programme,
    session: Session | None = None,
    resource: Resource | None = None,
    title: str = "",
    competency: Competency | None = None,
    note: str = "",
    actor=None,
    request=None,
) -> PlanItem:
    """Add a session (of the programme), a resource or another activity to the person's plan (made on first
    use). The caller has checked that the actor may see the resource."""
    title = title.strip()
    if session is None and resource is None and not title:
        raise ValidationError(_("Choose a session or a resource, or name another activity."))
    if session is not None and session.camp.programme_id != programme.pk:
        raise ValidationError(_("The session belongs to another programme."))
    if competency is not None and competency.programme_id != programme.pk:
        raise ValidationError(_("The competency belongs to another programme."))
    plan, _created = LearningPlan.objects.get_or_create(person=person, programme=programme)
    item = PlanItem.objects.create(
        plan=plan,
        session=session,
        resource=resource if session is None else None,
        title="" if session is not None or resource is not None else title,
        competency=competency,
        note=note.strip(),
        added_by=actor,
    )
    audit.record("learning_plan.item_added", actor=actor, request=request, target=item, plan=plan.pk)
    return item


@transaction.atomic
def set_done(*, item: PlanItem, done: bool, actor=None, request=None) -> PlanItem:
    item.done = done
    item.save(update_fields=["done"])
    audit.record(
        "learning_plan.item_done" if done else "learning_plan.item_reopened", actor=actor, request=request, target=item
    )
    return item


@transaction.atomic
def remove_item(*, item: PlanItem, actor=None, request=None) -> None:
    audit.record("learning_plan.item_removed", actor=actor, request=request, target=item, plan=item.plan_id)
    item.delete()
