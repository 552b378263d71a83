"""Who may do what with alerts."""

from __future__ import annotations

import rules

from rare.core.visibility import _in_travel_mode, _person_of
from rare.programme.rules import is_duty_officer, is_member

rules.add_perm("solidarity.report_alert", is_member)
rules.add_perm("solidarity.verify_alert", is_duty_officer)


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
