"""Reads of the action plan, meetings, campaigns and the engagement log.

Every list applies visibility (a meeting: its group's) and fetches what its page shows in a constant
number of queries, however many rows there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from rare.alliance.models import WorkingGroup
from rare.alliance.plan.models import (
    Action,
    ActionChange,
    Campaign,
    CampaignOutput,
    Engagement,
    FollowUp,
    Meeting,
    Milestone,
)
from rare.community.models import Contact, Institution, Organisation, Person

ACTIONS_PER_PAGE = 50
CAMPAIGNS_PER_PAGE = 20
ENGAGEMENTS_PER_PAGE = 25
MEETINGS_PER_PAGE = 20
NO_OWNER = "none"


def _has_owner() -> Exists:
    return Exists(Action.owners.through.objects.filter(action_id=OuterRef("pk")))


def _late(today: dt.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=Action.CLOSED)


def _count(model, fk: str, **filters) -> Coalesce:
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters).order_by().values(fk).annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


# --- The action plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilters:
    status: str = ""
    group: int | None = None
    owner: int | str | None = None  # an organisation id, or NO_OWNER
    late: bool = False

    @property
    def active(self) -> bool:
        return bool(self.status or self.group or self.owner or self.late)


def visible_actions(user, *, today: dt.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return Action.objects.visible_to(user).annotate(has_owner=_has_owner())


def plan_actions(user, filters: PlanFilters | None = None, *, today: dt.date | None = None) -> QuerySet[Action]:
    """The actions of the plan `user` may see, in plan order, with what the overview shows."""
    filters = filters or PlanFilters()
    today = today or timezone.localdate()
    actions = visible_actions(user, today=today)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.group:
        actions = actions.filter(working_group_id=filters.group)
    if filters.owner == NO_OWNER:
        actions = actions.filter(has_owner=False)
    elif filters.owner:
        actions = actions.filter(
            Exists(Action.owners.through.objects.filter(action_id=OuterRef("pk"), organisation_id=filters.owner))
        )
    if filters.late:
        actions = actions.filter(_late(today))
    return (
        actions.select_related("objective__priority", "working_group")
        .prefetch_related(
            Prefetch("owners", queryset=Organisation.objects.order_by("name", "pk"), to_attr="owner_list")
        )
        .order_by(
            "objective__priority__position",
            "objective__priority__title",
            "objective__priority_id",
            "objective__position",
            "objective__title",
            "objective_id",
            "due_date",
            "title",
            "pk",
        )
    )


def plan_counts(user, *, today: dt.date | None = None) -> dict[str, int]:
    """How many visible actions there are, and how many are late, done, blocked and without an owner."""
    today = today or timezone.localdate()
    return visible_actions(user, today=today).aggregate(
        total=Count("pk"),
        late=Count("pk", filter=_late(today)),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        blocked=Count("pk", filter=Q(status=Action.Status.BLOCKED)),
        unowned=Count("pk", filter=Q(has_owner=False)),
    )


def plan_filter_choices(user) -> dict:
    """The working groups and owner organisations the overview's filters offer."""
    groups = WorkingGroup.objects.visible_to(user).filter(actions__isnull=False).distinct().order_by("name", "pk")
    visible = Action.objects.visible_to(user).values("pk")
    owners = Organisation.objects.filter(owned_actions__in=visible).distinct().order_by("name", "pk")
    return {"groups": list(groups.only("pk", "name")), "owners": list(owners.only("pk", "name"))}


def action_for_detail(user) -> QuerySet[Action]:
    """Actions with everything their page shows (dependencies only as far as `user` may see them)."""
    visible = Action.objects.visible_to(user).select_related("objective").order_by("due_date", "title", "pk")
    return Action.objects.select_related("objective__priority", "working_group").prefetch_related(
        Prefetch("owners", queryset=Organisation.objects.order_by("name", "pk"), to_attr="owner_list"),
        Prefetch("depends_on", queryset=visible, to_attr="dependency_list"),
        Prefetch("dependents", queryset=visible, to_attr="dependent_list"),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due", "pk"), to_attr="milestone_list"),
        Prefetch("changes", queryset=ActionChange.objects.order_by("-at", "-pk"), to_attr="history"),
    )


def export_actions(user) -> QuerySet[Action]:
    """Every visible action in plan order, for the steering group's exports."""
    return plan_actions(user)


# --- Meetings ---------------------------------------------------------------------------------------


def group_meetings(group: WorkingGroup) -> QuerySet[Meeting]:
    return Meeting.objects.filter(group=group).select_related("group").order_by("-starts_at", "pk")


def upcoming_meetings(group: WorkingGroup, *, limit: int = 3) -> list[Meeting]:
    return list(Meeting.objects.filter(group=group, starts_at__gte=timezone.now()).order_by("starts_at", "pk")[:limit])


# --- Campaigns ----------------------------------------------------------------------------------------


def campaign_list(user, *, status: str = "", group: int | None = None) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.visible_to(user)
    if status:
        campaigns = campaigns.filter(status=status)
    if group:
        campaigns = campaigns.filter(working_group_id=group)
    return (
        campaigns.select_related("working_group")
        .annotate(
            output_count=_count(CampaignOutput, "campaign"),
            target_count=_count(Campaign.target_institutions.through, "campaign"),
        )
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name", "pk"), to_attr="organisation_list")
        )
        .order_by("-starts_on", "title", "pk")
    )


def campaign_groups(user) -> list[WorkingGroup]:
    return list(
        WorkingGroup.objects.visible_to(user)
        .filter(campaigns__isnull=False)
        .distinct()
        .order_by("name", "pk")
        .only("pk", "name")
    )


def campaign_for_detail(user) -> QuerySet[Campaign]:
    engagements = Engagement.objects.visible_to(user).select_related("institution").order_by("-date", "-pk")
    return Campaign.objects.select_related("working_group").prefetch_related(
        Prefetch(
            "target_institutions", queryset=Institution.objects.order_by("name", "pk"), to_attr="institution_list"
        ),
        Prefetch(
            "target_contacts",
            queryset=Contact.objects.select_related("institution").order_by("name", "pk"),
            to_attr="contact_list",
        ),
        Prefetch("organisations", queryset=Organisation.objects.order_by("name", "pk"), to_attr="organisation_list"),
        Prefetch("outputs", queryset=CampaignOutput.objects.order_by("-published_on", "-pk"), to_attr="output_list"),
        Prefetch("engagements", queryset=engagements, to_attr="engagement_list"),
    )


def timeline(campaign: Campaign) -> list[tuple[dt.date, str, object]]:
    """Outputs and engagements of a prefetched campaign, newest first, as (date, "output"|"engagement", record)."""
    items = [(o.published_on, "output", o) for o in campaign.output_list]
    items += [(e.date, "engagement", e) for e in campaign.engagement_list]
    return sorted(items, key=lambda item: (item[0], item[1]), reverse=True)


# --- Engagement log -----------------------------------------------------------------------------------


def _engagement_list_base(user) -> QuerySet[Engagement]:
    return (
        Engagement.objects.visible_to(user)
        .select_related("institution", "campaign")
        .annotate(open_follow_ups=_count(FollowUp, "engagement", done=False))
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name", "pk"), to_attr="organisation_list")
        )
        .order_by("-date", "-pk")
    )


def engagement_list(
    user, *, kind: str = "", institution: int | None = None, campaign: int | None = None
) -> QuerySet[Engagement]:
    engagements = _engagement_list_base(user)
    if kind:
        engagements = engagements.filter(kind=kind)
    if institution:
        engagements = engagements.filter(_about_institution(institution))
    if campaign:
        engagements = engagements.filter(campaign_id=campaign)
    return engagements


def _about_institution(institution_id: int) -> Q:
    """An engagement with the institution, one of its parts, or one of its contacts."""
    via_contacts = Engagement.contacts.through.objects.filter(
        engagement_id=OuterRef("pk"), contact__institution_id=institution_id
    )
    return Q(institution_id=institution_id) | Q(institution__parent_id=institution_id) | Q(Exists(via_contacts))


def institution_history(user, institution: Institution) -> QuerySet[Engagement]:
    """What the alliance asked `institution` (and its parts and contacts), and what it answered."""
    return (
        _engagement_list_base(user)
        .filter(_about_institution(institution.pk))
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk"), to_attr="contact_list"),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("done", "due", "pk"), to_attr="follow_up_list"),
        )
    )


def institution_campaigns(user, institution: Institution) -> list[Campaign]:
    return list(
        Campaign.objects.visible_to(user)
        .filter(
            Exists(
                Campaign.target_institutions.through.objects.filter(
                    campaign_id=OuterRef("pk"), institution_id=institution.pk
                )
            )
        )
        .order_by("-starts_on", "title", "pk")
    )


def engagement_filter_choices(user) -> dict:
    visible = Engagement.objects.visible_to(user).values("pk")
    institutions = Institution.objects.filter(engagements__in=visible).distinct().order_by("name", "pk")
    campaigns = Campaign.objects.visible_to(user).filter(engagements__isnull=False).distinct()
    return {
        "institutions": list(institutions.only("pk", "name", "acronym")),
        "campaigns": list(campaigns.order_by("title", "pk").only("pk", "title")),
    }


def engagement_for_detail(user) -> QuerySet[Engagement]:
    return Engagement.objects.select_related("institution", "campaign").prefetch_related(
        Prefetch(
            "contacts",
            queryset=Contact.objects.select_related("institution").order_by("name", "pk"),
            to_attr="contact_list",
        ),
        Prefetch(
            "participants",
            queryset=Person.objects.select_related("organisation").order_by("name", "pk"),
            to_attr="participant_list",
        ),
        Prefetch("organisations", queryset=Organisation.objects.order_by("name", "pk"), to_attr="organisation_list"),
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related("owner").order_by("done", "due", "pk"),
            to_attr="follow_up_list",
        ),
    )


def institution_engagement_count(user, institution: Institution) -> int:
    return Engagement.objects.visible_to(user).filter(_about_institution(institution.pk)).count()
