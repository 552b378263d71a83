"""Admin of registrations and attendance, for the programme team. Needs are read-only here: only the
member changes them, on their registration page. Opening a registration is audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rare.core.admin import TeamManaged
from rare.core.audit import record
from rare.programme.models import Attendance, Registration
from rare.programme.registration.services import NEEDS


@admin.register(Registration)
class RegistrationAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("person", "camp", "status", "arrives_on", "departs_on", "needs_accommodation", "created_at")
    list_filter = ("status", "needs_accommodation", "camp__programme", "camp")
    list_select_related = ("person", "camp")
    search_fields = ("person__name", "person__organisation__name", "camp__title")
    autocomplete_fields = ("person", "camp")
    readonly_fields = (*NEEDS, "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("camp", "person", "status")}),
        (_("Stay"), {"fields": ("arrives_on", "departs_on", "needs_accommodation")}),
        (_("Needs (confidential)"), {"fields": NEEDS}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            record("registration.needs_viewed", request=request, target=obj, via="admin")
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(Attendance)
class AttendanceAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("person", "session", "present", "recorded_by", "recorded_at")
    list_filter = ("present", "session__camp")
    list_select_related = ("person", "session", "recorded_by")
    search_fields = ("person__name", "session__title")
    autocomplete_fields = ("person", "session")
    readonly_fields = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
