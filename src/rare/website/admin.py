from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rare.core.admin import TeamManaged
from rare.website.models import Page, PageVersion, Testimonial


class PageVersionInline(TeamManaged, admin.TabularInline):
    """The history, read-only: text is changed through the site's editor, which keeps every version."""

    model = PageVersion
    fields = ["language", "number", "title", "author", "created_at", "restored_from"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Page)
class PageAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ["slug", "kind", "position", "published_at", "editor_link"]
    list_filter = ["kind"]
    search_fields = ["slug", "versions__title"]
    ordering = ["kind", "position", "-published_at"]
    inlines = [PageVersionInline]

    def get_readonly_fields(self, request, obj=None):
        # Pages are created in the site's editor together with their first version.
        return ["slug"] if obj else []

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("text"))
    def editor_link(self, obj: Page) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("website:team_history", kwargs={"slug": obj.slug}), _("history and editor")
        )


@admin.register(PageVersion)
class PageVersionAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ["page", "language", "number", "title", "author", "created_at"]
    list_filter = ["language", "page__kind"]
    search_fields = ["title", "body", "page__slug"]
    list_select_related = ["page", "author"]
    readonly_fields = ["page", "language", "number", "title", "body", "author", "created_at", "restored_from"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Testimonial)
class TestimonialAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ["name", "role", "video_id", "on_home_page", "page", "is_published", "position", "illustrative"]
    list_filter = ["is_published", "on_home_page", "illustrative"]
    list_editable = ["position"]
    search_fields = ["name", "role", "quote"]
    list_select_related = ["page"]
