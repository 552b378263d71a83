"""Who may manage API tokens: every member, each only their own tokens."""

from __future__ import annotations

import rules

from rare.programme.rules import is_member


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and getattr(user, "is_authenticated", False) and token.user_id == user.pk


rules.add_perm("api.manage_tokens", is_member)
rules.add_perm("api.revoke_token", is_member & owns_token)
