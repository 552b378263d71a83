"""Admin of feedback forms and library resources, for the programme team.

Answers and the record of who answered are deliberately not in the admin: results are read on the
results page, which keeps anonymous answers apart from people and withholds them below three answers.
Library files are uploaded on the library pages, where their type and size are checked.
"""

from __future__ import annotations

from django.contrib import admin

from rare.core.admin import TeamManaged, VisibilityAdmin
from rare.learning.models import FeedbackForm, Resource


@admin.register(FeedbackForm)
class FeedbackFormAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("__str__", "anonymous", "opens_at", "closes_at", "announced")
    list_filter = ("anonymous",)
    list_select_related = ("session", "camp")
    raw_id_fields = ("session", "camp")
    readonly_fields = ("anonymous", "created_by")
    date_hierarchy = "opens_at"

    def get_readonly_fields(self, request, obj=None):
        # Whether a form is anonymous is promised to those who answer: it is set once, when it is made.
        return ("created_by",) if obj is None else self.readonly_fields


@admin.register(Resource)
class ResourceAdmin(VisibilityAdmin, admin.ModelAdmin):
    list_display = ("title", "kind", "language", "visibility")
    list_filter = ("kind", "visibility")
    search_fields = ("title",)
    readonly_fields = ("kind", "file", "size", "content_type", "added_by")
    filter_horizontal = ("competencies", "sessions", "allowed_people", "allowed_organisations", "allowed_groups")

    def has_add_permission(self, request) -> bool:
        return False  # added on the library pages, where uploads are checked
