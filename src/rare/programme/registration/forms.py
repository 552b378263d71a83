"""Forms of the registration pages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rare.programme.models import Camp, Registration

NEEDS_WIDGET = {"rows": 3}
SLACK = dt.timedelta(days=7)  # how far before or after a camp people may arrive or leave


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = (
            "arrives_on",
            "departs_on",
            "needs_accommodation",
            "travel_needs",
            "accommodation_needs",
            "dietary_needs",
            "access_needs",
        )
        widgets = {
            "arrives_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "departs_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "travel_needs": forms.Textarea(attrs=NEEDS_WIDGET),
            "accommodation_needs": forms.Textarea(attrs=NEEDS_WIDGET),
            "dietary_needs": forms.Textarea(attrs=NEEDS_WIDGET),
            "access_needs": forms.Textarea(attrs=NEEDS_WIDGET),
        }
        help_texts = {
            "travel_needs": _("For example where you travel from, or help you need with tickets or visas."),
            "accommodation_needs": _("For example a single room, or a room on the ground floor."),
            "dietary_needs": _("Allergies, intolerances or what you do not eat."),
            "access_needs": _("Anything that helps you take part fully: mobility, hearing, sight, care, quiet."),
        }

    def __init__(self, *args, camp: Camp, **kwargs):
        super().__init__(*args, **kwargs)
        self.camp = camp
        for name in ("arrives_on", "departs_on"):
            self.fields[name].widget.attrs["min"] = (camp.starts_on - SLACK).isoformat()
            self.fields[name].widget.attrs["max"] = (camp.ends_on + SLACK).isoformat()
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("arrives_on", camp.starts_on)
            self.initial.setdefault("departs_on", camp.ends_on)

    def clean(self):
        cleaned = super().clean()
        arrives, departs = cleaned.get("arrives_on"), cleaned.get("departs_on")
        earliest, latest = self.camp.starts_on - SLACK, self.camp.ends_on + SLACK
        for name, day in (("arrives_on", arrives), ("departs_on", departs)):
            if day and not earliest <= day <= latest:
                self.add_error(name, _("Choose a day within a week of the camp."))
        if arrives and departs and departs < arrives:
            self.add_error("departs_on", _("The departure is before the arrival."))
        return cleaned


STATUS_CHOICES = [("", _("Any")), *Registration.Status.choices]


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Part of a name or organisation."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, country_codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any"))] + [(code, countries.name(code)) for code in country_codes]

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"search": data["q"].strip(), "status": data["status"], "country": data["country"]}


class BulkForm(forms.Form):
    ACTIONS = [
        ("cancel", _("Cancel the selected registrations")),
        ("remind", _("Send the selected people a reminder")),
        ("export_csv", _("Export the selected rows (CSV)")),
        ("export_xlsx", _("Export the selected rows (XLSX)")),
    ]
    action = forms.ChoiceField(label=_("With the selected rows"), choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(
        coerce=int, required=True, error_messages={"required": _("Select rows first.")}
    )

    def __init__(self, *args, registration_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in registration_ids]
