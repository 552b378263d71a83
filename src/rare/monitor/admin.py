from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rare.core.admin import TeamManaged, VisibilityAdmin
from rare.monitor import services
from rare.monitor.models import CountryRating, Measure, SpilloverLink, Tactic


@admin.register(CountryRating)
class CountryRatingAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("country", "rated_on", "rating", "source_name")
    list_filter = ("rating", "country")
    date_hierarchy = "rated_on"
    search_fields = ("source_name", "note")


@admin.register(Measure)
class MeasureAdmin(VisibilityAdmin, admin.ModelAdmin):
    """Visibility applies here as on the pages; opening a restricted measure is audited. A measure saved
    with a tactic counts as a sighting of it (and may warn, as on the pages)."""

    list_display = ("title", "country", "kind", "status", "introduced_on", "visibility")
    list_filter = ("visibility", "kind", "status", "country")
    date_hierarchy = "introduced_on"
    search_fields = ("title", "summary")
    filter_horizontal = ("allowed_people", "allowed_organisations", "allowed_groups")
    autocomplete_fields = ("tactic",)
    fieldsets = (
        (
            None,
            {"fields": ("country", "title", "kind", "status", "introduced_on", "summary", "source_url", "tactic")},
        ),
        (
            _("Visibility"),
            {"fields": ("visibility", "allowed_people", "allowed_organisations", "allowed_groups")},
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.note_saved_measure(measure=obj, actor=request.user, request=request)


@admin.register(Tactic)
class TacticAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "key")
    search_fields = ("name", "key", "description")
    readonly_fields = ("key",)


@admin.register(SpilloverLink)
class SpilloverLinkAdmin(TeamManaged, admin.ModelAdmin):
    """Read-only here: links are made and removed on the pages, where visibility and the audit apply."""

    list_display = ("__str__", "kind", "created_by", "created_at")
    list_filter = ("kind",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        from rare.monitor.queries import visible_links

        return visible_links(request.user)
