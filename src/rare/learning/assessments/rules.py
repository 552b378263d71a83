"""Who may do what with the framework, assessments, growth and learning plans.

Assessments, growth and plans are personal: the person and the programme team see them, nobody else.
"""

from __future__ import annotations

import rules

from rare.programme.models import Membership
from rare.programme.rules import is_participant, is_team

PARTICIPANT_ROLES = (Membership.Role.PARTICIPANT, Membership.Role.ALUMNI)


def person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


@rules.predicate
def is_self(user, person) -> bool:
    """The record is about the user's own person (and the account holds a role)."""
    own = person_of(user)
    return (
        person is not None
        and own is not None
        and own.pk == getattr(person, "pk", None)
        and bool(is_participant(user) or is_team(user))
    )


rules.add_perm("learning.manage_framework", is_team)
rules.add_perm("learning.view_cohort", is_team)
rules.add_perm("learning.answer_assessments", is_participant)
rules.add_perm("learning.view_growth", is_team | is_self)
rules.add_perm("learning.edit_plan", is_team | is_self)
