from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from rare.community.models import Person
from rare.programme.models import Membership, Programme


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form (fields `login` and `password`); the page itself links to the password reset."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        self.fields["login"].widget.attrs["autocomplete"] = "username"


class _NoReplayMixin:
    """allauth refuses a code used once already through the cache; this also records it in the database."""

    def clean_code(self) -> str:
        from rare.accounts.services import claim_totp_step

        code = super().clean_code()
        authenticator = self.authenticator
        if authenticator.type == Authenticator.Type.TOTP and not claim_totp_step(
            authenticator=authenticator, code=code
        ):
            self._emit_authentication_failed(authenticator)
            raise get_mfa_adapter().validation_error("incorrect_code")
        return code


class AuthenticateForm(_NoReplayMixin, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_NoReplayMixin, mfa_forms.ReauthenticateForm):
    pass


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("-starts_on"),
        required=False,
        empty_label=_("No programme role yet"),
    )
    role = forms.ChoiceField(
        label=_("Role in the programme"), choices=[("", "—"), *Membership.Role.choices], required=False
    )
    person = forms.ModelChoiceField(
        label=_("Existing person"),
        queryset=Person.objects.filter(user__isnull=True).order_by("name"),
        required=False,
        empty_label=_("Create a new person"),
        help_text=_("Link the account to someone already in the directory who has no account yet."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email, is_active=True).exists():
            raise forms.ValidationError(_("Someone with this address already has an account."))
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") and not cleaned.get("programme"):
            self.add_error("programme", _("Choose the programme the role belongs to."))
        if cleaned.get("programme") and not cleaned.get("role"):
            self.add_error("role", _("Choose a role in the programme."))
        return cleaned


class AcceptInvitationForm(forms.Form):
    """Name and password for a new account; the password passes Django's validators (12+ characters, not common)."""

    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A few unusual words in a row make a good password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = get_user_model()(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
