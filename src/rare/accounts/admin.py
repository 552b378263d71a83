from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from rare.accounts import services
from rare.accounts.models import Invitation, MemberSession, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts sign in with their e-mail address. Unticking "active" ends every session at once."""

    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name", "travel_mode")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        obj._rare_disabled_by = request.user  # named in the audit entry if this switches the account off
        obj._rare_request = request
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the team's invitations page; here they can only be looked at or withdrawn."""

    list_display = ["email", "programme", "role", "invited_by", "created_at", "expires_at", "used_at"]
    list_filter = ["programme", "role"]
    search_fields = ["email"]
    list_select_related = ["programme", "invited_by"]
    exclude = ["token_hash"]
    readonly_fields = ["email", "name", "person", "programme", "role", "invited_by", "created_at", "used_at", "user"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.action(description=_("Sign these sessions out"))
def end_sessions(modeladmin, request, queryset):
    for member_session in queryset.select_related("user"):
        services.end_session(
            user=member_session.user, member_session=member_session, request=request, actor=request.user
        )


@admin.register(MemberSession)
class MemberSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "device", "network", "created_at", "last_seen_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "device", "network", "created_at", "last_seen_at"]
    readonly_fields = fields
    actions = [end_sessions]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
