"""Admin of the community: organisations, people, themes, and institutions with their contacts.

The programme team (a `rules` predicate) manages these records; Django's per-model permissions are not
used, so a staff account without a team role sees nothing here.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from rare.community.models import Contact, Institution, Organisation, Person, Theme
from rare.core.admin import TeamManaged
from rare.programme.models import Membership


@admin.register(Theme)
class ThemeAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class PersonMembershipInline(TeamManaged, admin.TabularInline):
    model = Membership
    fields = ("programme", "role")
    autocomplete_fields = ("programme",)
    extra = 0
    verbose_name = _("role in a programme")
    verbose_name_plural = _("roles in programmes")


@admin.register(Organisation)
class OrganisationAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "country", "city", "size", "people_count")
    list_filter = (("country", CountryFilter), "size", "themes")
    search_fields = ("name", "city", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("themes",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj: Organisation) -> int:
        return obj.people_count


@admin.register(Person)
class PersonAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "organisation", "country", "role", "public_profile")
    list_filter = ("public_profile", "memberships__role", "memberships__programme", ("country", CountryFilter))
    list_select_related = ("organisation",)
    search_fields = ("name", "organisation__name", "user__email")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organisation", "expertise")
    raw_id_fields = ("user",)
    inlines = (PersonMembershipInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "pronouns", "user")}),
        (_("Work"), {"fields": ("organisation", "role", "country", "languages", "expertise")}),
        (_("Profile"), {"fields": ("bio", "public_profile")}),
    )


class ContactInline(TeamManaged, admin.StackedInline):
    model = Contact
    fields = (("name", "position"), ("email", "phone"), "notes")
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "country", "parent", "contact_count")
    list_filter = ("kind", ("country", CountryFilter))
    list_select_related = ("parent",)
    search_fields = ("name", "acronym", "description", "contacts__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (ContactInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contact_count=Count("contacts"))

    @admin.display(description=_("contacts"), ordering="contact_count")
    def contact_count(self, obj: Institution) -> int:
        return obj.contact_count


@admin.register(Contact)
class ContactAdmin(TeamManaged, admin.ModelAdmin):
    list_display = ("name", "position", "institution", "email")
    list_filter = ("institution__kind",)
    list_select_related = ("institution",)
    search_fields = ("name", "position", "email", "institution__name", "institution__acronym")
    autocomplete_fields = ("institution",)
