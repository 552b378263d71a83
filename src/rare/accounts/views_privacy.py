"""Pages for a member's own data: download it, erase the account, choose a public profile, travel mode.

Thin views: the writes happen in `rare.accounts.privacy` and `rare.accounts.travel`; second factors are
checked by django-allauth's MFA forms, re-authentication by allauth's own flow.
"""

from __future__ import annotations

import json
import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.base.forms import ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import ReauthenticateWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn_auth
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rare.accounts import privacy, travel
from rare.core.audit import Outcome
from rare.core.permissions import permission_required_or_404


def closed_in_travel_mode(view):
    """Send an account in travel mode to the travel-mode page instead of `view`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.travel_mode:
            messages.error(request, _("Lift travel mode first: this page is closed while it is on."))
            return redirect("accounts:travel_mode")
        return view(request, *args, **kwargs)

    return wrapper


# --- Download my data -----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required_or_404("accounts.manage_own_account")
@closed_in_travel_mode
@reauthentication_required(allow_get=True)
def my_data(request: HttpRequest) -> HttpResponse:
    """GET explains what the file holds; POST (after a fresh re-authentication) returns it.

    Closed while travel mode is on: the file would hold records that travel mode hides.
    """
    if request.method == "POST":
        data = privacy.export_personal_data(user=request.user, request=request)
        body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{privacy.export_filename()}"'
        return response
    return render(request, "accounts/privacy/my_data.html", {"sections": list(privacy.exporters())})


# --- Erase my account -----------------------------------------------------------------------------


def confirmation_phrase() -> str:
    return gettext("erase my account")


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type the confirmation phrase"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].split()).casefold()
        if typed != confirmation_phrase().casefold():
            raise forms.ValidationError(_("That is not the confirmation phrase. Nothing was erased."))
        return typed


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required_or_404("accounts.manage_own_account")
@closed_in_travel_mode
@reauthentication_required
def erase(request: HttpRequest) -> HttpResponse:
    """Closed while travel mode is on, so that whoever holds the device cannot destroy the account."""
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_account(user=request.user, request=request)
        logout(request)
        messages.success(request, _("Your account has been erased. Thank you for having been part of RARE."))
        return redirect("website:home")
    return render(request, "accounts/privacy/erase.html", {"form": form, "phrase": confirmation_phrase()})


# --- Public profile consent -----------------------------------------------------------------------


class PublicProfileForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that the details listed above are shown on the public website."),
        required=True,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required_or_404("accounts.manage_own_account")
def profile_visibility(request: HttpRequest) -> HttpResponse:
    person = privacy.person_of(request.user)
    form = PublicProfileForm()
    if request.method == "POST" and person is not None:
        if request.POST.get("public") == "off":
            privacy.set_public_profile(user=request.user, public=False, request=request)
            messages.success(request, _("Your profile is hidden from the public website."))
            return redirect("accounts:profile_visibility")
        form = PublicProfileForm(request.POST)
        if form.is_valid():
            privacy.set_public_profile(user=request.user, public=True, request=request)
            messages.success(request, _("Your profile is shown on the public website."))
            return redirect("accounts:profile_visibility")
    return render(request, "accounts/privacy/profile_visibility.html", {"person": person, "form": form})


# --- Travel mode ----------------------------------------------------------------------------------


class TravelCodeForm(ReauthenticateForm):
    """allauth's check of a TOTP or recovery code (rate-limited, a TOTP code is good once)."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )


def _recent_password(request: HttpRequest) -> bool:
    """Did the person type their password in this session within the re-authentication window?"""
    horizon = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        entry.get("method") == "password" and entry.get("at", 0) >= horizon
        for entry in get_authentication_records(request, request.user)
    )


def _lift_context(request: HttpRequest, code_form: TravelCodeForm | None = None) -> dict:
    user = request.user
    counting = set(travel.counting_authenticators(user).values_list("type", flat=True))
    context = {
        "needs_password_too": travel.needs_password_too(user),
        "has_second_factor": travel.has_second_factor(user),
        "code_form": None,
        "webauthn_options": None,
    }
    if counting & {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}:
        context["code_form"] = code_form or TravelCodeForm(user=user)
    if Authenticator.Type.WEBAUTHN in counting:
        context["webauthn_options"] = json.dumps(webauthn_auth.begin_authentication(user), cls=DjangoJSONEncoder)
    context["can_lift"] = bool(context["code_form"] or context["webauthn_options"])
    return context


@never_cache
@permission_required_or_404("accounts.manage_own_account")
def travel_mode(request: HttpRequest) -> HttpResponse:
    context = {"has_second_factor": travel.has_second_factor(request.user)}
    if request.user.travel_mode:
        context.update(_lift_context(request))
    return render(request, "accounts/privacy/travel_mode.html", context)


@never_cache
@require_POST
@permission_required_or_404("accounts.manage_own_account")
def travel_mode_on(request: HttpRequest) -> HttpResponse:
    travel.switch_on(user=request.user, request=request)
    messages.success(request, _("Travel mode is on. Restricted records are hidden until you lift it."))
    return redirect("accounts:travel_mode")


def _lift(request: HttpRequest, form: forms.Form, authenticator_of) -> HttpResponse | None:
    """Lift travel mode once `form` (an allauth MFA form) accepted a second factor; None if it did not."""
    user = request.user
    if not user.travel_mode:
        return redirect("accounts:travel_mode")
    if not travel.has_second_factor(user):
        travel.refuse(user=user, request=request, reason="no_second_factor")
        messages.error(request, _("Set up a second factor first, then lift travel mode with it."))
        return redirect("accounts:travel_mode")
    if travel.needs_password_too(user) and not _recent_password(request):
        raise ReauthenticationRequired
    if not form.is_valid():
        travel.refuse(user=user, request=request, reason="wrong_factor", outcome=Outcome.FAILED)
        return None
    try:
        travel.switch_off(user=user, authenticator=authenticator_of(form), request=request)
    except travel.TravelModeError as refused:
        messages.error(request, refused.message)
        return redirect("accounts:travel_mode")
    form.save()  # tells allauth the factor was used: it counts as a fresh re-authentication
    messages.success(request, _("Travel mode is lifted. Restricted records are visible again."))
    return redirect("accounts:travel_mode")


@never_cache
@require_POST
@permission_required_or_404("accounts.manage_own_account")
def travel_mode_off(request: HttpRequest) -> HttpResponse:
    """Lift travel mode with a TOTP code or a recovery code."""
    form = TravelCodeForm(user=request.user, data=request.POST)
    done = _lift(request, form, lambda f: f.authenticator)
    if done is not None:
        return done
    context = {"has_second_factor": True, **_lift_context(request, code_form=form)}
    return render(request, "accounts/privacy/travel_mode.html", context, status=400)


@never_cache
@require_POST
@permission_required_or_404("accounts.manage_own_account")
def travel_mode_off_webauthn(request: HttpRequest) -> HttpResponse:
    """Lift travel mode with a security key or passkey (the assertion comes from the page's script)."""
    form = ReauthenticateWebAuthnForm(user=request.user, data=request.POST)
    done = _lift(request, form, lambda f: f.cleaned_data["credential"])
    if done is not None:
        return done
    messages.error(request, _("The security key could not be verified. Try again."))
    return redirect("accounts:travel_mode")
