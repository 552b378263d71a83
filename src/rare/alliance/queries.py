"""Reads of the alliance app. Every read of working groups applies visibility."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rare.alliance.models import WorkingGroup
from rare.alliance.rules import sees_every_member
from rare.community.models import Organisation, Person

GROUPS_PER_PAGE = 20


def _count(through, **outer) -> Coalesce:
    """How many rows of an M2M table belong to the outer group, as a correlated subquery (no GROUP BY)."""
    rows = (
        through.objects.filter(workinggroup=OuterRef("pk"), **outer)
        .order_by()
        .values("workinggroup")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def visible_groups(user) -> QuerySet[WorkingGroup]:
    """The groups `user` may see, with what the list shows, in one query per page."""
    return (
        WorkingGroup.objects.visible_to(user)
        .select_related("theme", "programme")
        .annotate(
            member_count=_count(WorkingGroup.members.through),
            organisation_count=_count(WorkingGroup.organisations.through),
        )
        .order_by("name", "pk")
    )


def group_for_detail(user) -> QuerySet[WorkingGroup]:
    """Groups with everything their page shows, for `get_visible_or_404`.

    People who have not agreed to a public profile are named only to members of the programme.
    """
    people = Person.objects.select_related("organisation").order_by("name", "pk")
    if not sees_every_member(user):
        people = people.filter(public_profile=True)
    return (
        WorkingGroup.objects.select_related("theme", "programme", "convener__organisation")
        .annotate(member_count=_count(WorkingGroup.members.through))
        .prefetch_related(
            Prefetch("members", queryset=people, to_attr="listed_members"),
            Prefetch(
                "organisations", queryset=Organisation.objects.order_by("name", "pk"), to_attr="listed_organisations"
            ),
        )
    )
