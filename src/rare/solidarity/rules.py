"""Who may do what with alerts."""

from __future__ import annotations

import rules

from rare.core.visibility import _in_travel_mode, _person_of, can_view
from rare.programme.rules import is_duty_officer, is_member, is_team

PLEDGEABLE = ("verified", "active")


@rules.predicate
def can_pledge(user, alert) -> bool:
    """A member with a person (and so an organisation to speak for) who sees a verified or active alert."""
    if alert is None or alert.status not in PLEDGEABLE or not is_member(user):
        return False
    return _person_of(user) is not None and can_view(user, alert)


@rules.predicate
def can_change_pledge(user, pledge) -> bool:
    """Whoever pledged, the people of the pledging organisation, and duty officers (if they see the alert)."""
    return pledge is not None and can_view(user, pledge.alert) and may_change_pledge(user, pledge)


def may_change_pledge(user, pledge) -> bool:
    """The same without the visibility check, for a page that has already opened the alert."""
    if not is_member(user):
        return False
    if is_duty_officer(user) or (pledge.pledged_by_id is not None and pledge.pledged_by_id == user.pk):
        return True
    person = _person_of(user)
    return bool(person and person.organisation_id and person.organisation_id == pledge.organisation_id)


@rules.predicate
def can_add_evidence(user, alert) -> bool:
    """The reporter and duty officers add evidence files (once they may read the details)."""
    if alert is None or not may_read_details(user, alert):
        return False
    return bool(is_duty_officer(user) or (alert.reporter_id is not None and alert.reporter_id == user.pk))


@rules.predicate
def can_see_pledges(user, alert) -> bool:
    """Who does what is for members who see the alert; visitors see how many responses there are."""
    return bool(alert is not None and is_member(user) and can_view(user, alert))


rules.add_perm("solidarity.report_alert", is_member)
rules.add_perm("solidarity.verify_alert", is_duty_officer)
rules.add_perm("solidarity.pledge", can_pledge)
rules.add_perm("solidarity.change_pledge", can_change_pledge)
rules.add_perm("solidarity.add_evidence", can_add_evidence)
rules.add_perm("solidarity.view_coverage", is_team)


@rules.predicate
def may_read_details(user, alert) -> bool:
    """Confidential details: duty officers, the reporter, and the people and organisations named on the
    alert (its audience lists and the affected organisations). Never in travel mode."""
    if alert is None or _in_travel_mode(user) or not getattr(user, "is_authenticated", False):
        return False
    if is_duty_officer(user) or (alert.reporter_id is not None and alert.reporter_id == user.pk):
        return True
    person = _person_of(user)
    if person is None:
        return False
    if alert.allowed_people.filter(pk=person.pk).exists():
        return True
    organisation_id = person.organisation_id
    if organisation_id is None:
        return False
    return (
        alert.allowed_organisations.filter(pk=organisation_id).exists()
        or alert.affected_organisations.filter(pk=organisation_id).exists()
    )


rules.add_perm("solidarity.read_details", may_read_details)
