from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rare.programme.models import Camp, Session

SCALE = [(n, str(n)) for n in range(1, 6)]
SCALE_HELP = _("1 = poor, 5 = excellent.")


def _rating(label, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE if required else [("", _("No answer")), *SCALE],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=SCALE_HELP,
    )


class AnswerForm(forms.Form):
    """The questions of a session feedback form or a camp evaluation."""

    def __init__(self, *args, feedback_form, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall"] = _rating(_("Overall, how was it?"))
        if feedback_form.is_camp_evaluation:
            self.fields["logistics"] = _rating(_("Travel, venue and organisation"))
            self.fields["sessions"] = _rating(_("The sessions, taken together"))
        else:
            self.fields["usefulness"] = _rating(_("How useful is it for your work?"))
        self.competency_fields = []
        for competency in competencies:
            name = f"learned_{competency.pk}"
            self.fields[name] = _rating(
                _("I learned something about: %(name)s") % {"name": competency.name}, required=False
            )
            self.competency_fields.append((name, competency.pk))
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("What worked, what should change. Do not name yourself if the form is anonymous."),
        )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "overall": data["overall"],
            "usefulness": data.get("usefulness"),
            "logistics": data.get("logistics"),
            "sessions": data.get("sessions"),
            "learned": {str(pk): data[name] for name, pk in self.competency_fields if data.get(name)},
            "comment": data.get("comment", ""),
        }


class NewFeedbackForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    camp = forms.ModelChoiceField(
        label=_("Or a camp (evaluation of the whole camp)"), queryset=Camp.objects.none(), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        initial=True,
        help_text=_("Nobody, the team included, will see who answered what. Answers cannot be changed later."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.select_related("camp").order_by("-starts_at", "pk")
        self.fields["session"].label_from_instance = lambda s: f"{s.camp.number}. {s.camp.title}: {s.title}"
        self.fields["camp"].queryset = Camp.objects.order_by("-starts_on", "pk")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("session")) == bool(cleaned.get("camp")):
            raise ValidationError(_("Choose either a session or a camp."), code="target")
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The form must close after it opens."))
        return cleaned
