"""Who someone is in the programmes, as `rules` predicates.

A user's roles are read once per request object (one query) and kept on the user instance.
Deny by default: an anonymous visitor, a disabled account or an account with no person has no role.
"""

from __future__ import annotations

import rules

from rare.programme.models import Membership

Role = Membership.Role
MEMBER_ROLES = frozenset(Role.values)


def roles_of(user) -> frozenset[str]:
    """Every role the user holds in any programme (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_rare_roles", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(person__user=user).values_list("role", flat=True).distinct())
        if user.is_superuser:
            cached = cached | {Role.TEAM}
        user._rare_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles after memberships change."""
    if hasattr(user, "_rare_roles"):
        del user._rare_roles


@rules.predicate
def is_member(user) -> bool:
    """Signed in and holding any role in any programme (alumni included)."""
    return bool(roles_of(user) & MEMBER_ROLES)


@rules.predicate
def is_team(user) -> bool:
    return bool(roles_of(user) & {Role.TEAM, Role.DUTY_OFFICER})


@rules.predicate
def is_duty_officer(user) -> bool:
    return Role.DUTY_OFFICER in roles_of(user)


@rules.predicate
def is_expert(user) -> bool:
    return Role.EXPERT in roles_of(user)


@rules.predicate
def is_participant(user) -> bool:
    return bool(roles_of(user) & {Role.PARTICIPANT, Role.ALUMNI})


rules.add_perm("programme.view_members_area", is_member)
rules.add_perm("programme.manage_programme", is_team)

# Calls for applications: the programme team reviews, scores and decides.
rules.add_perm("programme.review_applications", is_team)
rules.add_perm("programme.decide_applications", is_team)

# Each area of the programme app registers its own rules; importing them here makes them exist early.
from rare.programme.camps import rules as _camp_rules  # noqa: E402, F401
