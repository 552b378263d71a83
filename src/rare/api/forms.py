from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rare.api.models import ApiToken

EXPIRY_CHOICES = [
    ("30", _("in 30 days")),
    ("90", _("in 90 days")),
    ("365", _("in a year")),
    ("", _("never (revoke it yourself)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so that you recognise it later."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[
            (ApiToken.Scope.READ, _("Read: see what your account sees")),
            (ApiToken.Scope.WRITE, _("Read and write: also report alerts")),
        ],
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    expires_in = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90", required=False)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    @property
    def expires_in_days(self) -> int | None:
        value = self.cleaned_data.get("expires_in") or ""
        return int(value) if value else None
