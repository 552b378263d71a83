"""What every app's admin shares."""

from __future__ import annotations

from django.db.models import Q

from rare.core.visibility import audit_view
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


class VisibilityAdmin(TeamManaged):
    """The admin of a visibility-controlled model applies visibility exactly as the pages do.

    Lists show only what the person may see (a superuser counts as programme team, so restricted
    records appear only to those they name and to duty officers), every opening of a restricted record
    is audited, and the working groups offered as an audience are only those the person may see, plus
    those already chosen, so that a restricted group's name never appears in a picker.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        audit_view(obj, user=request.user, request=request)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("allowed_groups")
        if field is not None:
            groups = field.queryset.model.objects
            chosen = Q(pk__in=obj.allowed_groups.values("pk")) if obj is not None else Q(pk__in=[])
            field.queryset = groups.filter(Q(pk__in=groups.visible_to(request.user).values("pk")) | chosen)
        return form
