"""Account pages: security overview, one's sessions, invitations (team) and accepting an invitation."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rare.accounts import queries, services
from rare.accounts.forms import AcceptInvitationForm, InvitationForm
from rare.accounts.middleware import requires_webauthn
from rare.accounts.models import MemberSession
from rare.core.permissions import permission_required_or_404, public

INVITATIONS_PER_PAGE = 50


@require_GET
@permission_required_or_404("accounts.manage_own_account")
def security(request):
    """Overview of the member's sign-in settings: password, second factors, sessions."""
    types = set(Authenticator.objects.filter(user=request.user).values_list("type", flat=True))
    return render(
        request,
        "accounts/security.html",
        {
            "has_totp": Authenticator.Type.TOTP in types,
            "has_webauthn": Authenticator.Type.WEBAUTHN in types,
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
            "webauthn_only": requires_webauthn(request.user),
            "mfa_required": getattr(request, "rare_mfa_required", False),
        },
    )


@require_GET
@permission_required_or_404("accounts.manage_own_account")
def sessions(request):
    current = queries.current_session_hash(request)
    rows = list(queries.sessions_of(request.user))
    return render(request, "accounts/sessions.html", {"member_sessions": rows, "current_hash": current})


def _own_session(request, pk: int) -> MemberSession:
    return get_object_or_404(MemberSession, pk=pk)


@require_POST
@permission_required_or_404("accounts.end_session", fn=_own_session)
def end_session(request, pk: int):
    member_session = get_object_or_404(MemberSession, pk=pk, user=request.user)
    is_current = member_session.key_hash == queries.current_session_hash(request)
    services.end_session(user=request.user, member_session=member_session, request=request)
    if is_current:
        logout(request)
        return redirect("account_login")
    messages.success(request, _("That session is signed out."))
    return redirect("accounts:sessions")


@require_POST
@permission_required_or_404("accounts.manage_own_account")
def end_all_sessions(request):
    """Sign out everywhere, this browser included."""
    user = request.user
    services.end_all_sessions(user=user, request=request, reason="member")
    logout(request)
    messages.success(request, _("You are signed out everywhere."))
    return redirect("account_login")


@require_http_methods(["GET", "POST"])
@permission_required_or_404("accounts.manage_invitations")
def invitations(request):
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            invitation, _token = services.create_invitation(
                invited_by=request.user,
                email=data["email"],
                name=data["name"],
                person=data["person"],
                programme=data["programme"],
                role=data["role"],
                request=request,
            )
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitations")
    else:
        form = InvitationForm()
    page = Paginator(queries.invitations_for_team(), INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "page": page, "settings_days": settings.RARE_INVITATION_DAYS},
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    try:
        invitation = services.check_invitation(queries.invitation_by_token(token))
    except services.InvitationError as error:
        status = 404 if error.reason == "unknown" else 410
        return render(request, "accounts/invitation_invalid.html", {"reason": error.reason}, status=status)
    if request.method == "POST":
        form = AcceptInvitationForm(request.POST, email=invitation.email)
        if form.is_valid():
            try:
                user = services.accept_invitation(
                    token=token,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                    request=request,
                )
            except services.InvitationError as error:
                return render(request, "accounts/invitation_invalid.html", {"reason": error.reason}, status=410)
            if request.user.is_authenticated:
                logout(request)  # someone else's session in this browser ends properly first
            get_account_adapter(request).login(request, user)
            messages.success(request, _("Welcome! Your account is ready. Now protect it with a second factor."))
            return redirect("accounts:security")
    else:
        form = AcceptInvitationForm(initial={"name": invitation.name}, email=invitation.email)
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
