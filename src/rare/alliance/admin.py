from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rare.alliance.models import WorkingGroup
from rare.core.admin import VisibilityAdmin


@admin.register(WorkingGroup)
class WorkingGroupAdmin(VisibilityAdmin, admin.ModelAdmin):
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


from rare.alliance.decisions import admin as _decision_admin  # noqa: E402, F401  (decisions and joint statements)
from rare.alliance.plan import admin as _plan_admin  # noqa: E402, F401  (action plan, meetings, campaigns, engagements)
