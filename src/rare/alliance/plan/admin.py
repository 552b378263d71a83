"""Admin of the action plan, meetings, campaigns and the engagement log.

Actions are added and changed on their pages, where every change is written to their history; the
admin shows them read-only (except who may see them) so the history cannot be bypassed.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rare.alliance.plan.models import (
    Action,
    ActionChange,
    Campaign,
    CampaignOutput,
    Engagement,
    FollowUp,
    Meeting,
    Milestone,
    Objective,
    PriorityIssue,
)
from rare.alliance.plan.services import ACTION_FIELDS
from rare.core.admin import VisibilityAdmin

AUDIENCE = (_("Visibility"), {"fields": ("allowed_people", "allowed_organisations", "allowed_groups")})


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 1
    fields = ("title", "position")


@admin.register(PriorityIssue)
class PriorityIssueAdmin(admin.ModelAdmin):
    list_display = ("title", "position")
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("title", "priority", "position")
    list_filter = ("priority",)
    list_select_related = ("priority",)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ("title", "due", "done")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ActionChangeInline(admin.TabularInline):
    model = ActionChange
    extra = 0
    fields = ("at", "actor_name", "field", "before", "after")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(VisibilityAdmin, admin.ModelAdmin):
    list_display = ("title", "objective", "status", "progress", "due_date", "visibility")
    list_filter = ("status", "visibility", "objective__priority")
    list_select_related = ("objective",)
    search_fields = ("title",)
    readonly_fields = ACTION_FIELDS
    fieldsets = ((None, {"fields": ACTION_FIELDS}), AUDIENCE)
    filter_horizontal = ("allowed_people", "allowed_organisations", "allowed_groups")
    inlines = [MilestoneInline, ActionChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "group", "starts_at")
    list_select_related = ("group",)
    list_filter = ("group",)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class CampaignOutputInline(admin.TabularInline):
    model = CampaignOutput
    extra = 0
    fields = ("kind", "title", "published_on", "url")


@admin.register(Campaign)
class CampaignAdmin(VisibilityAdmin, admin.ModelAdmin):
    list_display = ("title", "status", "starts_on", "ends_on", "visibility")
    list_filter = ("status", "visibility")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = (
        "target_institutions",
        "target_contacts",
        "organisations",
        "allowed_people",
        "allowed_organisations",
        "allowed_groups",
    )
    inlines = [CampaignOutputInline]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    autocomplete_fields = ()


@admin.register(Engagement)
class EngagementAdmin(VisibilityAdmin, admin.ModelAdmin):
    list_display = ("title", "kind", "date", "institution", "visibility")
    list_filter = ("kind", "visibility")
    list_select_related = ("institution",)
    filter_horizontal = (
        "contacts",
        "participants",
        "organisations",
        "allowed_people",
        "allowed_organisations",
        "allowed_groups",
    )
    inlines = [FollowUpInline]
