from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rare.alliance.models import WorkingGroup
from rare.programme.models import Camp, Membership, Programme, Registration
from rare.reports.models import Message


class MessageForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=list(countries),
        required=False,
        help_text=_("None chosen: every country."),
    )
    registration_statuses = forms.MultipleChoiceField(
        label=_("Registration status"),
        choices=Registration.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only with a camp: none ticked means everyone registered or cancelled."),
    )

    class Meta:
        model = Message
        fields = [
            "programme",
            "subject",
            "body",
            "roles",
            "countries",
            "working_group",
            "camp",
            "registration_statuses",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("-starts_on")
        self.fields["working_group"].queryset = WorkingGroup.objects.visible_to(user).order_by("name")
        self.fields["working_group"].help_text = _("Only the group's members and organisations.")
        self.fields["camp"].queryset = Camp.objects.select_related("programme").order_by("-starts_on")
        self.fields["camp"].help_text = _("Only people registered for this camp.")

    def clean(self):
        data = super().clean()
        camp, programme = data.get("camp"), data.get("programme")
        if camp is not None and programme is not None and camp.programme_id != programme.pk:
            self.add_error("camp", _("This camp belongs to another programme."))
        return data

    def segment(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SendForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have checked who will receive this message."), required=True)


class PeriodForm(forms.Form):
    """A programme and a period; the period defaults to the programme's dates."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)
    starts_on = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("-starts_on")

    def clean(self):
        data = super().clean()
        programme = data.get("programme")
        if programme is not None:
            data["starts_on"] = data.get("starts_on") or programme.starts_on
            data["ends_on"] = data.get("ends_on") or programme.ends_on
            if data["ends_on"] < data["starts_on"]:
                self.add_error("ends_on", _("The period ends before it starts."))
        return data
