"""Forms of calls for applications: applying, filtering, scoring and deciding."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from rare.community.models import Theme
from rare.programme.models import Application

Status = Application.Status

HONEYPOT = "website"


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send a confirmation and our decision to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    seniority = forms.ChoiceField(label=_("Seniority"), choices=Application.Seniority.choices)
    track_record = forms.CharField(
        label=_("Track record"),
        max_length=5000,
        help_text=_("What you and your organisation have achieved in advocacy (at most 5,000 characters)."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=5000,
        help_text=_("Why you want to take part and what you hope to bring and to learn (at most 5,000 characters)."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics you work on"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree that the programme team stores this application to select participants."),
        help_text=_("Only the programme team reads it; what you write about your work is stored encrypted."),
    )
    # A field people never see: software that fills in every field gives itself away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_trap_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices])
    country = forms.ChoiceField(label=_("Country"), required=False)
    q = forms.CharField(
        label=_("Name or organisation"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, country_codes: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(countries)
        choices = sorted(((code, names.get(code, code)) for code in country_codes), key=lambda c: str(c[1]))
        self.fields["country"].choices = [("", _("Any")), *choices]


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your score"),
        coerce=int,
        choices=[
            (1, _("1 (weak)")),
            (2, _("2")),
            (3, _("3")),
            (4, _("4")),
            (5, _("5 (excellent)")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        help_text=_("Other reviewers see it once they have scored this application themselves."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


DECISION_CHOICES = [
    (Status.ACCEPTED, _("Accept (sends an invitation)")),
    (Status.WAITLISTED, _("Put on the waiting list")),
    (Status.REJECTED, _("Not selected")),
    (Status.WITHDRAWN, _("Withdrawn")),
    (Status.SUBMITTED, _("Back to undecided")),
]
NOTIFY = "notify"


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("With the selected applications"),
        choices=[*DECISION_CHOICES, (NOTIFY, _("Email those not selected (once)"))],
    )
    applications = forms.TypedMultipleChoiceField(label=_("Applications"), coerce=int)

    def __init__(self, *args, application_ids: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(pk, str(pk)) for pk in application_ids]
