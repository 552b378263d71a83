"""Admin of programmes, memberships, camps and sessions, for the programme team."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from rare.core.admin import TeamManaged
from rare.programme.models import Camp, Membership, Programme, Session


class MembershipInline(TeamManaged, admin.TabularInline):
    model = Membership
    fields = ("person", "role")
    autocomplete_fields = ("person",)
    extra = 0


class CampInline(TeamManaged, admin.TabularInline):
    model = Camp
    fields = ("number", "title", "city", "country", "format", "starts_on", "ends_on")
    show_change_link = True
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "cohort", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CampInline, MembershipInline)


@admin.register(Membership)
class MembershipAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("person", "role", "programme", "organisation", "created_at")
    list_filter = ("role", "programme")
    list_select_related = ("person__organisation", "programme")
    search_fields = ("person__name", "person__organisation__name")
    autocomplete_fields = ("person", "programme")

    @admin.display(description=_("organisation"), ordering="person__organisation__name")
    def organisation(self, obj: Membership) -> str:
        return obj.person.organisation.name if obj.person.organisation else ""


class SessionInline(TeamManaged, admin.StackedInline):
    model = Session
    fields = (("kind", "title"), ("starts_at", "ends_at", "room"), "speakers", "themes", "description")
    autocomplete_fields = ("speakers", "themes")
    show_change_link = True
    extra = 0


@admin.register(Camp)
class CampAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("__str__", "programme", "city", "country", "format", "starts_on", "illustrative", "session_count")
    list_filter = ("programme", "format", "illustrative", ("country", CountryFilter))
    list_select_related = ("programme",)
    search_fields = ("title", "city", "host", "venue")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("programme",)
    date_hierarchy = "starts_on"
    inlines = (SessionInline,)
    fieldsets = (
        (None, {"fields": ("programme", "number", "title", "slug", "illustrative")}),
        (_("Place and time"), {"fields": ("format", "city", "country", "venue", "host", "starts_on", "ends_on")}),
        (_("Texts"), {"fields": ("summary", "logistics", "report")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj: Camp) -> int:
        return obj.session_count


@admin.register(Session)
class SessionAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("title", "camp", "kind", "starts_at", "room")
    list_filter = ("kind", "camp__programme", "camp")
    list_select_related = ("camp",)
    search_fields = ("title", "description", "room", "camp__title")
    autocomplete_fields = ("camp", "speakers", "themes")
    date_hierarchy = "starts_at"
