"""Admin of programmes, memberships, camps and sessions, for the programme team."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from rare.core.admin import TeamManaged
from rare.programme.camps.uploads import check_upload
from rare.programme.models import Camp, Material, Membership, Programme, Session


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
        (
            _("Place and time"),
            {"fields": ("format", "city", "country", "venue", "host", "time_zone", "starts_on", "ends_on")},
        ),
        (_("Registration"), {"fields": ("registration_deadline",)}),
        (_("Texts"), {"fields": ("summary", "logistics", "report")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj: Camp) -> int:
        return obj.session_count


class MaterialAdminForm(forms.ModelForm):
    """The same type and size checks as the upload form on the session page."""

    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Material
        fields = ("title", "visibility", "file", "link", "allowed_people", "allowed_organisations", "allowed_groups")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            data, content_type = check_upload(upload)
            self.instance.size = len(data)
            self.instance.content_type = content_type
        return upload


class MaterialInline(TeamManaged, admin.StackedInline):
    """Session materials: files are stored encrypted; the audience lists apply to 'group' and 'restricted'."""

    model = Material
    form = MaterialAdminForm
    fields = (("title", "visibility"), "file", "link", "allowed_people", "allowed_organisations", "allowed_groups")
    autocomplete_fields = ("allowed_people", "allowed_organisations", "allowed_groups")
    extra = 0


@admin.register(Session)
class SessionAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("title", "camp", "kind", "starts_at", "room")
    list_filter = ("kind", "camp__programme", "camp")
    list_select_related = ("camp",)
    search_fields = ("title", "description", "room", "camp__title")
    autocomplete_fields = ("camp", "speakers", "themes")
    date_hierarchy = "starts_at"
    inlines = (MaterialInline,)


from rare.programme.calls import admin as _calls_admin  # noqa: E402, F401  (calls, applications, reviews)
from rare.programme.registration import admin as _registration_admin  # noqa: E402, F401  (registrations, attendance)
