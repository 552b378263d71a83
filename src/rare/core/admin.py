"""What every app's admin shares."""

from __future__ import annotations

from rare.programme.rules import is_team


class TeamManaged:
    """Admin (or inline) rights for the programme team and nobody else.

    The programme team is a `rules` predicate, not Django's per-model permissions, so a staff account
    without a team role sees nothing. A model admin that refuses more (read-only history, say) defines
    its own `has_*_permission`, which takes precedence over these.
    """

    def has_module_permission(self, request) -> bool:
        return is_team(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_team(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_team(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_team(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_team(request.user)
