"""Who may register for a camp, and who handles registrations.

Needs (travel, accommodation, diet, access) are seen only by the person and the programme team of the
camp's programme; a duty officer or a team member of another programme is refused like anybody else.
"""

from __future__ import annotations

import rules

from rare.programme.models import Camp, Membership
from rare.programme.rules import is_member, roles_of

Role = Membership.Role


def _roles_in(user, camp: Camp) -> frozenset[str]:
    """The user's roles in the camp's programme (one query, cached on the user per camp programme)."""
    if not roles_of(user):
        return frozenset()
    cache = user.__dict__.setdefault("_rare_programme_roles", {})
    if camp.programme_id not in cache:
        cache[camp.programme_id] = frozenset(
            Membership.objects.filter(person__user=user, programme_id=camp.programme_id).values_list("role", flat=True)
        )
    return cache[camp.programme_id]


@rules.predicate
def is_camp_team(user, camp: Camp | None) -> bool:
    """On the programme team of this camp's programme (a superuser counts as team everywhere)."""
    if camp is None or not roles_of(user):
        return False
    return bool(user.is_superuser or Role.TEAM in _roles_in(user, camp))


@rules.predicate
def belongs_to_camp(user, camp: Camp | None) -> bool:
    """Holds a role in the camp's programme, so they may register for it."""
    if camp is None:
        return False
    return bool(_roles_in(user, camp))


rules.add_perm("programme.register_for_camp", is_member & (belongs_to_camp | is_camp_team))
rules.add_perm("programme.manage_registrations", is_camp_team)
