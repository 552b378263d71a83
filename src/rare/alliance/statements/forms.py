"""Forms of joint statements."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.alliance.decisions.forms import DATETIME_INPUT


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=None,
        required=False,
        empty_label=_("None: for the whole alliance"),
        help_text=_("A statement of a group that only its members see is seen by them alone until published."),
    )
    deadline = forms.DateTimeField(label=_("Signatures until"), widget=DATETIME_INPUT)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_("Markdown is allowed.")
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups

    def clean_deadline(self) -> dt.datetime:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline


class RevisionForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Saving makes a new version. Organisations that signed an earlier version keep that version "
            "next to their name."
        ),
    )
