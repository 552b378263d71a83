from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rare.core.visibility import Visibility
from rare.solidarity.models import Alert, AlertUpdate
from rare.solidarity.services import MIN_CHECKED_SOURCES


class ReportForm(forms.ModelForm):
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=[
            (Visibility.RESTRICTED, _("Only duty officers and my organisation (safest)")),
            (Visibility.MEMBERS, _("All members of the programme")),
            (Visibility.PUBLIC, _("Public, once verified")),
        ],
        initial=Visibility.RESTRICTED,
    )

    class Meta:
        model = Alert
        fields = (
            "title",
            "country",
            "occurred_on",
            "category",
            "perpetrator",
            "severity",
            "tactic",
            "summary",
            "details",
            "sources",
            "visibility",
        )
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "details": forms.Textarea(attrs={"rows": 4}),
            "sources": forms.Textarea(attrs={"rows": 3}),
        }


class VerifyForm(forms.Form):
    checked_sources = forms.MultipleChoiceField(
        label=_("Sources you checked"), widget=forms.CheckboxSelectMultiple, required=False
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, alert: Alert, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_sources"].choices = [(line, line) for line in alert.source_lines]

    def clean_checked_sources(self) -> list[str]:
        checked = self.cleaned_data["checked_sources"]
        if len(checked) < MIN_CHECKED_SOURCES:
            raise forms.ValidationError(_("Check at least two sources before verifying."))
        return checked


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Alert.Status.choices)


class UpdateForm(forms.ModelForm):
    class Meta:
        model = AlertUpdate
        fields = ("kind", "text", "is_public")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (AlertUpdate.Kind.UPDATE, AlertUpdate.Kind.UPDATE.label),
            (AlertUpdate.Kind.AUTHORITY_REPLY, AlertUpdate.Kind.AUTHORITY_REPLY.label),
        ]
