"""Who may change the action plan, meetings, campaigns and the engagement log.

Seeing any of these records is the visibility rule of core (a meeting: its group's). Changing one
needs seeing it first, and then a role: the programme team always; the people of an action's owner
organisations for that action; a group's convener and members for its meetings; the people of a
campaign's participating organisations for its outputs; whoever logged an engagement, or took part
in it, for its outcome and follow-ups.
"""

from __future__ import annotations

import rules

from rare.core.visibility import can_view
from rare.programme.rules import is_member, is_team


def _person(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


@rules.predicate
def is_action_owner(user, action) -> bool:
    """The user's organisation is one of the action's owners."""
    person = _person(user)
    if action is None or person is None or person.organisation_id is None:
        return False
    owners = getattr(action, "owner_list", None)
    if owners is not None:
        return any(o.pk == person.organisation_id for o in owners)
    return action.owners.filter(pk=person.organisation_id).exists()


def _in_group(user, group) -> bool:
    person = _person(user)
    if group is None or person is None:
        return False
    if group.convener_id == person.pk:
        return True
    return group.members.filter(pk=person.pk).exists()


@rules.predicate
def is_group_member(user, group) -> bool:
    """The user is the group's convener or one of its members."""
    return _in_group(user, group)


@rules.predicate
def sees_group(user, group) -> bool:
    return can_view(user, group)


@rules.predicate
def is_meeting_group_member(user, meeting) -> bool:
    return meeting is not None and _in_group(user, meeting.group)


@rules.predicate
def sees_meeting(user, meeting) -> bool:
    return meeting is not None and can_view(user, meeting.group)


@rules.predicate
def is_campaign_participant(user, campaign) -> bool:
    person = _person(user)
    if campaign is None or person is None or person.organisation_id is None:
        return False
    return campaign.organisations.filter(pk=person.organisation_id).exists()


@rules.predicate
def is_engagement_participant(user, engagement) -> bool:
    person = _person(user)
    if engagement is None or person is None:
        return False
    if engagement.created_by_id == user.pk or engagement.participants.filter(pk=person.pk).exists():
        return True
    return person.organisation_id is not None and engagement.organisations.filter(pk=person.organisation_id).exists()


rules.add_perm("alliance.add_action", is_team)
rules.add_perm("alliance.change_action", can_view & (is_team | is_action_owner))
rules.add_perm("alliance.export_plan", is_team)
rules.add_perm("alliance.schedule_meeting", sees_group & (is_team | is_group_member))
rules.add_perm("alliance.change_meeting", sees_meeting & (is_team | is_meeting_group_member))
rules.add_perm("alliance.add_campaign", is_team)
rules.add_perm("alliance.change_campaign", can_view & is_team)
rules.add_perm("alliance.add_campaign_output", can_view & (is_team | is_campaign_participant))
rules.add_perm("alliance.log_engagement", is_member)
rules.add_perm("alliance.change_engagement", can_view & (is_team | is_engagement_participant))
