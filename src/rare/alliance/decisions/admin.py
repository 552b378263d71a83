"""Admin of decisions and joint statements: visibility applies as on the pages; answers are read-only."""

from django.contrib import admin

from rare.alliance.decisions.models import Answer, Option, Proposal
from rare.alliance.statements.models import Signature, Statement, StatementVersion
from rare.core.admin import VisibilityAdmin


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("person", "position", "reason", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(VisibilityAdmin, admin.ModelAdmin):
    list_display = ("title", "kind", "group", "status", "closes_at", "visibility")
    list_filter = ("status", "kind", "visibility")
    list_select_related = ("group",)
    search_fields = ("title",)
    raw_id_fields = ("created_by", "outcome_by")
    readonly_fields = ("result", "closed_at")
    filter_horizontal = ("allowed_people", "allowed_organisations", "allowed_groups")
    inlines = [OptionInline, AnswerInline]


class VersionInline(admin.StackedInline):
    model = StatementVersion
    extra = 0
    raw_id_fields = ("author",)


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    raw_id_fields = ("organisation", "signed_by", "version")


@admin.register(Statement)
class StatementAdmin(VisibilityAdmin, admin.ModelAdmin):
    list_display = ("title", "status", "deadline", "group", "visibility")
    list_filter = ("status", "visibility")
    list_select_related = ("group",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("created_by",)
    filter_horizontal = ("allowed_people", "allowed_organisations", "allowed_groups")
    inlines = [VersionInline, SignatureInline]
