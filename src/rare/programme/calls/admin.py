"""Admin of calls, applications and reviews, for the programme team.

Applications are written by applicants: the team corrects facts (a misspelt organisation), never what
the applicant wrote about their work and motivation, so those fields are read-only here. Decisions are
taken on the team's application pages (accepting sends an invitation), so the status is read-only too.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from rare.core.admin import TeamManaged
from rare.programme.models import Application, Call, Review


@admin.register(Call)
class CallAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("title", "programme", "opens_at", "deadline", "places", "application_count")
    list_filter = ("programme",)
    list_select_related = ("programme",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("programme",)
    date_hierarchy = "deadline"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    @admin.display(description=_("applications"), ordering="application_count")
    def application_count(self, obj: Call) -> int:
        return obj.application_count


class ReviewInline(TeamManaged, admin.TabularInline):
    model = Review
    fields = ("reviewer", "score", "comment", "updated_at")
    readonly_fields = ("reviewer", "score", "comment", "updated_at")
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "organisation_name", "country", "call", "status", "submitted_at")
    list_filter = ("status", "call", "seniority", ("country", CountryFilter))
    list_select_related = ("call",)
    search_fields = ("name", "organisation_name", "email")
    autocomplete_fields = ("organisation",)
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "call",
        "track_record",
        "motivation",
        "language",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "invitation",
        "notified_at",
    )
    fields = (
        "call",
        ("name", "email"),
        ("organisation_name", "organisation"),
        ("country", "role", "seniority"),
        "topics",
        "track_record",
        "motivation",
        "language",
        "status",
        ("submitted_at", "decided_at", "decided_by"),
        ("invitation", "notified_at"),
    )
    filter_horizontal = ("topics",)
    inlines = (ReviewInline,)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("application", "reviewer", "score", "updated_at")
    list_filter = ("score", "application__call")
    list_select_related = ("application", "reviewer")
    search_fields = ("application__name", "reviewer__email")
    readonly_fields = ("application", "reviewer")

    def has_add_permission(self, request) -> bool:
        return False
