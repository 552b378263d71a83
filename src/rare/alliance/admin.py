from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rare.alliance.models import WorkingGroup
from rare.core.admin import TeamManaged
from rare.core.visibility import Visibility


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TeamManaged, admin.ModelAdmin):
    """The admin applies visibility like every page: a restricted group appears only to those it names
    and to duty officers (a superuser counts as programme team), and every opening of one is audited."""

    list_display = ("name", "programme", "theme", "convener", "visibility")
    list_filter = ("visibility", "programme", "theme")
    list_select_related = ("programme", "theme", "convener")
    search_fields = ("name", "purpose")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members", "organisations", "allowed_people", "allowed_organisations", "allowed_groups")
    fieldsets = (
        (None, {"fields": ("name", "slug", "programme", "theme", "convener", "purpose", "public_output")}),
        (_("Members"), {"fields": ("members", "organisations")}),
        (
            _("Visibility"),
            {"fields": ("visibility", "allowed_people", "allowed_organisations", "allowed_groups")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        group = super().get_object(request, object_id, from_field)
        if group is not None and group.visibility == Visibility.RESTRICTED:
            from rare.core import audit

            audit.record("record.viewed", actor=request.user, request=request, target=group)
        return group

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("allowed_groups")
        if field is not None:
            # Offer only groups this person may see, plus those already chosen (so saving keeps them).
            chosen = Q(pk__in=obj.allowed_groups.values("pk")) if obj is not None else Q(pk__in=[])
            visible = WorkingGroup.objects.visible_to(request.user).values("pk")
            field.queryset = WorkingGroup.objects.filter(Q(pk__in=visible) | chosen)
        return form
