"""Who may do what with accounts, as `rules` predicates. Deny by default."""

from __future__ import annotations

import rules

from rare.programme.rules import is_team


@rules.predicate
def owns_session(user, member_session) -> bool:
    return member_session is not None and user.is_authenticated and member_session.user_id == user.pk


rules.add_perm("accounts.manage_invitations", is_team)


@rules.predicate
def is_active_account(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


# One's own security settings and sessions: any signed-in account, with or without a programme role.
rules.add_perm("accounts.manage_own_account", is_active_account)
rules.add_perm("accounts.end_session", is_active_account & owns_session)
