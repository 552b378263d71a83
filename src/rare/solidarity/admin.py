from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rare.core.admin import TeamManaged, VisibilityAdmin
from rare.solidarity.models import Alert, AlertUpdate, Pledge


class AlertUpdateInline(TeamManaged, admin.TabularInline):
    model = AlertUpdate
    extra = 0
    fields = ("kind", "text", "is_public", "author", "created_at")
    readonly_fields = ("author", "created_at")


class PledgeInline(TeamManaged, admin.TabularInline):
    """Pledges are made and changed on the alert page (audited); the admin only lists them."""

    model = Pledge
    extra = 0
    fields = ("organisation", "kind", "status", "created_at", "done_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(VisibilityAdmin, admin.ModelAdmin):
    """The admin applies visibility like the pages: a restricted alert only for those it names and duty
    officers. Status changes go through the alert page so that they follow the workflow and are audited."""

    list_display = ("title", "country", "category", "severity", "status", "occurred_on", "visibility")
    list_filter = ("status", "category", "severity", "visibility")
    search_fields = ("title",)
    readonly_fields = ("status", "reporter", "verified_by", "verified_at", "verification_reasons", "created_at")
    filter_horizontal = ("affected_organisations", "allowed_people", "allowed_organisations", "allowed_groups")
    inlines = (AlertUpdateInline, PledgeInline)
    fieldsets = (
        (None, {"fields": ("title", "country", "occurred_on", "category", "tactic", "perpetrator", "severity")}),
        (_("Description"), {"fields": ("summary", "details", "sources", "affected_organisations")}),
        (
            _("Workflow"),
            {"fields": ("status", "reporter", "verified_by", "verified_at", "verification_reasons", "created_at")},
        ),
        (_("Visibility"), {"fields": ("visibility", "allowed_people", "allowed_organisations", "allowed_groups")}),
    )
