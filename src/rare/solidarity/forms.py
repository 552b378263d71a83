from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.core.visibility import Visibility
from rare.programme.camps import uploads
from rare.solidarity.models import Alert, AlertUpdate, Pledge
from rare.solidarity.services import MIN_CHECKED_SOURCES


class CheckedFileField(forms.FileField):
    """An upload whose size and type (by name and by content) are checked; `checked` holds (bytes, type)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(f".{e}" for e in uploads.ALLOWED)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked = uploads.check_upload(upload)
        return upload


def _file_help() -> str:
    return _("Optional. Up to %(limit)s. Types: %(types)s. Stored encrypted.") % {
        "limit": filesizeformat(settings.RARE_MAX_UPLOAD_BYTES),
        "types": uploads.allowed_list(),
    }


class ReportForm(forms.ModelForm):
    """Quick on a phone: four required fields (title, country, date, category); the rest may wait."""

    evidence_file = CheckedFileField(label=_("Evidence file"), required=False)
    field_order = (
        "title",
        "country",
        "occurred_on",
        "category",
        "summary",
        "details",
        "sources",
        "evidence_file",
        "visibility",
        "severity",
        "perpetrator",
        "tactic",
    )
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _file_help()
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        self.fields["occurred_on"].initial = timezone.localdate


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


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(label=_("What will your organisation do?"), choices=Pledge.Kind.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: to whom, by when."),
    )


class PledgeDoneForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A link to the letter or statement, or what was done."),
    )
    evidence_file = CheckedFileField(label=_("Evidence file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _file_help()

    def clean(self):
        cleaned = super().clean()
        if "evidence_file" not in self.errors and not cleaned.get("evidence") and not cleaned.get("evidence_file"):
            raise forms.ValidationError(_("Say what shows the response was made, or attach a file."))
        return cleaned


class EvidenceForm(forms.Form):
    file = CheckedFileField(label=_("Evidence file"))
    description = forms.CharField(label=_("Description"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to %(limit)s. Types: %(types)s. Stored encrypted.") % {
            "limit": filesizeformat(settings.RARE_MAX_UPLOAD_BYTES),
            "types": uploads.allowed_list(),
        }
