"""Who may do what with camps, sessions and materials, as `rules` predicates.

Imported by rare.programme.rules, so the permissions exist as soon as the programme app is loaded.
"""

from __future__ import annotations

import rules

from rare.programme.models import Camp, Membership, Session
from rare.programme.rules import is_team, roles_of


def programmes_of(user) -> frozenset[int]:
    """The ids of the programmes the user holds any role in (one query, kept on the user object)."""
    if not roles_of(user):
        return frozenset()
    cached = getattr(user, "_rare_programmes", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(person__user=user).values_list("programme_id", flat=True).distinct()
        )
        user._rare_programmes = cached
    return cached


@rules.predicate
def is_member_of_camp(user, camp: Camp | None) -> bool:
    """A member of the camp's programme (alumni included), or the programme team."""
    if camp is None:
        return False
    return bool(is_team(user)) or camp.programme_id in programmes_of(user)


@rules.predicate
def speaks_at(user, session: Session | None) -> bool:
    """The user's person is one of the session's speakers (and the account holds a role)."""
    if session is None or not roles_of(user):
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    return session.speakers.filter(pk=person.pk).exists()


rules.add_perm("programme.view_camp_members_area", is_member_of_camp)
rules.add_perm("programme.add_material", is_team | speaks_at)
