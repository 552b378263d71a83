"""Writes of the action plan, meetings, campaigns and the engagement log.

Every change to an action is written to its history (`ActionChange`: who, when, which field, before and
after) and to the audit trail. Notifications go through `rare.core.notifications.notify` inside the
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rare.alliance.plan.models import (
    Action,
    ActionChange,
    Campaign,
    CampaignOutput,
    Engagement,
    FollowUp,
    Meeting,
    Milestone,
    Objective,
)
from rare.core.audit import record
from rare.core.visibility import Visibility

# Fields of an action that `update_action` may change, in the order the history shows them.
ACTION_FIELDS = (
    "objective",
    "title",
    "description",
    "status",
    "progress",
    "due_date",
    "working_group",
    "owners",
    "depends_on",
    "visibility",
)
_M2M_FIELDS = {"owners", "depends_on"}


def _notify(**kwargs: Any) -> None:
    """Hand a notice to the notifications of core (nothing happens where they are not installed)."""
    try:
        from rare.core.notifications import notify
    except ImportError:
        return
    notify(**kwargs)


def _actor_name(actor) -> str:
    person = getattr(actor, "person", None) if actor is not None else None
    if person is not None:
        return person.name
    return getattr(actor, "email", "") or ""


def _shown(action: Action, field: str, value) -> str:
    """A value as the history shows it: choices by their label, records by name, dates in ISO form."""
    if value is None or value == "":
        return ""
    if field in _M2M_FIELDS:
        return ", ".join(sorted(str(item) for item in value))
    if field == "status":
        return str(Action.Status(value).label)
    if field == "visibility":
        return str(Visibility(value).label)
    if field == "progress":
        return f"{value} %"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _current(action: Action, field: str):
    if field in _M2M_FIELDS:
        return list(getattr(action, field).all())
    return getattr(action, field)


def _write_change(action: Action, actor, field: str, before: str, after: str) -> ActionChange:
    return ActionChange.objects.create(
        action=action, actor=actor, actor_name=_actor_name(actor), field=field, before=before, after=after
    )


def _check_progress(progress: int) -> None:
    if not 0 <= int(progress) <= 100:
        raise ValidationError(_("Progress is a percentage between 0 and 100."), code="progress")


def _check_dependencies(action: Action, depends_on: Iterable[Action]) -> None:
    """An action cannot depend on itself, nor on an action that (through others) depends on it."""
    wanted = {a.pk for a in depends_on}
    if action.pk in wanted:
        raise ValidationError(_("An action cannot depend on itself."), code="self_dependency")
    seen: set[int] = set()
    frontier = {action.pk}
    while frontier:
        dependents = set(
            Action.depends_on.through.objects.filter(to_action_id__in=frontier).values_list("from_action_id", flat=True)
        )
        if dependents & wanted:
            raise ValidationError(_("These dependencies would go round in a circle."), code="circular_dependency")
        frontier = dependents - seen
        seen |= dependents


def _notify_owners(action: Action, change_key: str) -> None:
    """Tell the people of the action's owner organisations (those with accounts) that it changed."""
    User = get_user_model()
    recipients = User.objects.filter(is_active=True, person__organisation__in=action.owners.values("pk")).values_list(
        "pk", flat=True
    )
    _notify(
        kind="action.changed",
        target=action,
        recipients=list(recipients),
        topic={"working_group": action.working_group_id, "objective": action.objective_id},
        dedupe_key=f"action.changed:{action.pk}:{change_key}",
    )


@transaction.atomic
def create_action(
    *,
    actor,
    objective: Objective,
    title: str,
    description: str = "",
    owners: Iterable = (),
    working_group=None,
    due_date: dt.date | None = None,
    status: str = Action.Status.PLANNED,
    progress: int = 0,
    depends_on: Iterable[Action] = (),
    visibility: str = Visibility.MEMBERS,
    request=None,
) -> Action:
    """The team adds an action to the plan. Its history starts with its creation."""
    _check_progress(progress)
    action = Action.objects.create(
        objective=objective,
        title=title,
        description=description,
        working_group=working_group,
        due_date=due_date,
        status=status,
        progress=progress,
        visibility=visibility,
    )
    action.owners.set(list(owners))
    action.depends_on.set(list(depends_on))
    _write_change(action, actor, "created", "", title)
    record("action.created", actor=actor, request=request, target=action, status=status)
    _notify_owners(action, "created")
    return action


@transaction.atomic
def update_action(*, action: Action, actor, request=None, **changes: Any) -> list[ActionChange]:
    """Change fields of an action; every field that really changes gets one history entry.

    Returns the history entries written (none when nothing changed).
    """
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"update_action cannot change {sorted(unknown)}")
    action = Action.objects.select_for_update().get(pk=action.pk)
    if "progress" in changes:
        _check_progress(changes["progress"])
    if "depends_on" in changes:
        changes["depends_on"] = list(changes["depends_on"])
        _check_dependencies(action, changes["depends_on"])
    written: list[ActionChange] = []
    plain: list[str] = []
    for field in ACTION_FIELDS:
        if field not in changes:
            continue
        new = changes[field]
        old = _current(action, field)
        if field in _M2M_FIELDS:
            new = list(new)
            if {o.pk for o in old} == {n.pk for n in new}:
                continue
            getattr(action, field).set(new)
        else:
            if old == new:
                continue
            setattr(action, field, new)
            plain.append(field)
        written.append(_write_change(action, actor, field, _shown(action, field, old), _shown(action, field, new)))
    if plain:
        action.save(update_fields=[*plain, "updated_at"])
    if written:
        record(
            "action.changed",
            actor=actor,
            request=request,
            target=action,
            fields=[c.field for c in written],
            status=action.status,
            progress=action.progress,
        )
        _notify_owners(action, str(written[-1].pk))
    return written


@transaction.atomic
def add_milestone(*, action: Action, actor, title: str, due: dt.date | None = None, request=None) -> Milestone:
    milestone = Milestone.objects.create(action=action, title=title, due=due)
    _write_change(action, actor, "milestone", "", title)
    record("action.milestone_added", actor=actor, request=request, target=action, milestone=milestone.pk)
    return milestone


@transaction.atomic
def set_milestone_done(*, milestone: Milestone, actor, done: bool, request=None) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done == done:
        return milestone
    milestone.done = done
    milestone.save(update_fields=["done"])
    before, after = (_("open"), _("done")) if done else (_("done"), _("open"))
    _write_change(milestone.action, actor, "milestone", f"{milestone.title}: {before}", f"{milestone.title}: {after}")
    record("action.milestone_done", actor=actor, request=request, target=milestone.action, done=done)
    return milestone


def notify_late_actions(*, today: dt.date | None = None) -> int:
    """Tell owners about every action that is late (once per action and due date). Returns how many."""
    today = today or timezone.localdate()
    late = Action.objects.filter(due_date__lt=today).exclude(status__in=Action.CLOSED).filter(~Q(owners=None))
    count = 0
    for action in late.distinct().iterator(chunk_size=200):
        with transaction.atomic():
            _notify_owners(action, f"late:{action.due_date.isoformat()}")
        count += 1
    return count


# --- Meetings ------------------------------------------------------------------------------------------


def _group_recipients(group) -> list[int]:
    User = get_user_model()
    people = Q(person__in=group.members.values("pk"))
    if group.convener_id is not None:
        people |= Q(person=group.convener_id)
    return list(User.objects.filter(people, is_active=True).values_list("pk", flat=True))


@transaction.atomic
def schedule_meeting(
    *,
    group,
    actor,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    online_url: str = "",
    agenda: str = "",
    request=None,
) -> Meeting:
    """A meeting of a working group; its members (and convener) are told."""
    meeting = Meeting.objects.create(
        group=group,
        title=title,
        starts_at=starts_at,
        place=place,
        online_url=online_url,
        agenda=agenda,
        created_by=actor,
    )
    record("meeting.scheduled", actor=actor, request=request, target=meeting, group=group.pk)
    _notify(
        kind="group.meeting",
        target=meeting,
        recipients=_group_recipients(group),
        topic={"working_group": group.pk},
        dedupe_key=f"group.meeting:{meeting.pk}",
    )
    return meeting


MEETING_FIELDS = ("title", "starts_at", "place", "online_url", "agenda", "notes")


@transaction.atomic
def update_meeting(*, meeting: Meeting, actor, request=None, **changes: Any) -> Meeting:
    """Change a meeting, for example to write its notes."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"update_meeting cannot change {sorted(unknown)}")
    changed = [f for f, v in changes.items() if getattr(meeting, f) != v]
    if not changed:
        return meeting
    for field in changed:
        setattr(meeting, field, changes[field])
    meeting.save(update_fields=changed)
    record("meeting.changed", actor=actor, request=request, target=meeting, fields=changed)
    return meeting


# --- Campaigns -----------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "title",
    "slug",
    "goal",
    "asks",
    "starts_on",
    "ends_on",
    "working_group",
    "status",
    "visibility",
    "target_institutions",
    "target_contacts",
    "organisations",
)
_CAMPAIGN_M2M = {"target_institutions", "target_contacts", "organisations"}


def _check_dates(starts_on, ends_on) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("A campaign cannot end before it starts."), code="dates")


@transaction.atomic
def create_campaign(*, actor, title: str, slug: str, request=None, **fields: Any) -> Campaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"create_campaign does not know {sorted(unknown)}")
    _check_dates(fields.get("starts_on"), fields.get("ends_on"))
    many = {f: fields.pop(f) for f in list(fields) if f in _CAMPAIGN_M2M}
    campaign = Campaign.objects.create(title=title, slug=slug, **fields)
    for field, values in many.items():
        getattr(campaign, field).set(list(values))
    record("campaign.created", actor=actor, request=request, target=campaign)
    return campaign


@transaction.atomic
def update_campaign(*, campaign: Campaign, actor, request=None, **changes: Any) -> Campaign:
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"update_campaign cannot change {sorted(unknown)}")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_dates(changes.get("starts_on", campaign.starts_on), changes.get("ends_on", campaign.ends_on))
    changed: list[str] = []
    plain: list[str] = []
    for field, value in changes.items():
        if field in _CAMPAIGN_M2M:
            value = list(value)
            if {o.pk for o in getattr(campaign, field).all()} != {v.pk for v in value}:
                getattr(campaign, field).set(value)
                changed.append(field)
        elif getattr(campaign, field) != value:
            setattr(campaign, field, value)
            plain.append(field)
            changed.append(field)
    if plain:
        campaign.save(update_fields=plain)
    if changed:
        record("campaign.changed", actor=actor, request=request, target=campaign, fields=changed)
    return campaign


@transaction.atomic
def add_campaign_output(
    *,
    campaign: Campaign,
    actor,
    kind: str,
    title: str,
    published_on: dt.date,
    url: str = "",
    file=None,
    request=None,
) -> CampaignOutput:
    """A brief, letter, statement or piece of media coverage of the campaign: a link or a file."""
    if bool(url) == bool(file):
        raise ValidationError(_("Give either a file or a link, not both."), code="file_or_link")
    output = CampaignOutput(campaign=campaign, kind=kind, title=title, url=url, published_on=published_on)
    if file:
        output.file.save(file.name, file, save=False)
    output.save()
    record("campaign.output_added", actor=actor, request=request, target=campaign, kind=kind, output=output.pk)
    return output


# --- Engagement log ------------------------------------------------------------------------------------

ENGAGEMENT_FIELDS = (
    "kind",
    "title",
    "date",
    "institution",
    "campaign",
    "ask",
    "outcome",
    "visibility",
    "contacts",
    "participants",
    "organisations",
)
_ENGAGEMENT_M2M = {"contacts", "participants", "organisations"}


@transaction.atomic
def log_engagement(*, actor, kind: str, title: str, date: dt.date, request=None, **fields: Any) -> Engagement:
    """A member logs a meeting, letter, hearing or consultation with an advocacy target."""
    unknown = set(fields) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"log_engagement does not know {sorted(unknown)}")
    many = {f: fields.pop(f) for f in list(fields) if f in _ENGAGEMENT_M2M}
    engagement = Engagement.objects.create(kind=kind, title=title, date=date, created_by=actor, **fields)
    for field, values in many.items():
        getattr(engagement, field).set(list(values))
    if engagement.visibility in {Visibility.GROUP, Visibility.RESTRICTED}:
        person = getattr(actor, "person", None)
        if person is not None:
            engagement.allowed_people.add(person)
    record("engagement.logged", actor=actor, request=request, target=engagement, kind=kind)
    return engagement


@transaction.atomic
def update_engagement(*, engagement: Engagement, actor, request=None, **changes: Any) -> Engagement:
    unknown = set(changes) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"update_engagement cannot change {sorted(unknown)}")
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    changed: list[str] = []
    plain: list[str] = []
    for field, value in changes.items():
        if field in _ENGAGEMENT_M2M:
            value = list(value)
            if {o.pk for o in getattr(engagement, field).all()} != {v.pk for v in value}:
                getattr(engagement, field).set(value)
                changed.append(field)
        elif getattr(engagement, field) != value:
            setattr(engagement, field, value)
            plain.append(field)
            changed.append(field)
    if plain:
        engagement.save(update_fields=plain)
    if changed:
        record("engagement.changed", actor=actor, request=request, target=engagement, fields=changed)
    return engagement


@transaction.atomic
def add_follow_up(
    *, engagement: Engagement, actor, what: str, due: dt.date | None = None, owner=None, request=None
) -> FollowUp:
    follow_up = FollowUp.objects.create(engagement=engagement, what=what, due=due, owner=owner)
    record("engagement.follow_up_added", actor=actor, request=request, target=engagement, follow_up=follow_up.pk)
    return follow_up


@transaction.atomic
def set_follow_up_done(*, follow_up: FollowUp, actor, done: bool, request=None) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done != done:
        follow_up.done = done
        follow_up.save(update_fields=["done"])
        record(
            "engagement.follow_up_done",
            actor=actor,
            request=request,
            target=follow_up.engagement,
            follow_up=follow_up.pk,
            done=done,
        )
    return follow_up
