from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rare.core.admin import TeamManaged, VisibilityAdmin
from rare.monitor.models import CountryRating, Measure


@admin.register(CountryRating)
class CountryRatingAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("country", "rated_on", "rating", "source_name")
    list_filter = ("rating", "country")
    date_hierarchy = "rated_on"
    search_fields = ("source_name", "note")


@admin.register(Measure)
class MeasureAdmin(VisibilityAdmin, admin.ModelAdmin):
    """Visibility applies here as on the pages; opening a restricted measure is audited."""

    list_display = ("title", "country", "kind", "status", "introduced_on", "visibility")
    list_filter = ("visibility", "kind", "status", "country")
    date_hierarchy = "introduced_on"
    search_fields = ("title", "summary")
    filter_horizontal = ("allowed_people", "allowed_organisations", "allowed_groups")
    fieldsets = (
        (None, {"fields": ("country", "title", "kind", "status", "introduced_on", "summary", "source_url")}),
        (
            _("Visibility"),
            {"fields": ("visibility", "allowed_people", "allowed_organisations", "allowed_groups")},
        ),
    )
