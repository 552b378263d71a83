"""Forms of the framework and the assessments (usable on a phone: radio buttons, one column)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rare.learning.assessments.models import MAX_PRIORITIES, SCALE, AssessmentRound, SelfAssessment
from rare.learning.models import Competency
from rare.programme.models import Camp, Programme, Session


class CompetencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentRound.Kind.choices)
    camp = forms.ModelChoiceField(
        label=_("Camp"),
        queryset=Camp.objects.none(),
        required=False,
        help_text=_("Only for a self-assessment after a camp."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["camp"].queryset = Camp.objects.filter(programme=programme).order_by("number")

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The round must close after it opens."))
        if cleaned.get("kind") == AssessmentRound.Kind.AFTER_CAMP and not cleaned.get("camp"):
            self.add_error("camp", _("Choose the camp this self-assessment follows."))
        return cleaned


def rating_field_name(competency: Competency) -> str:
    return f"rating_{competency.pk}"


class AssessmentForm(forms.Form):
    """A level for each competency of the framework; for the kick-off round also expectations and priorities."""

    def __init__(
        self,
        *args,
        assessment_round: AssessmentRound,
        competencies: list[Competency],
        answer: SelfAssessment | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.assessment_round = assessment_round
        self.competencies = competencies
        current = {r.competency_id: r.level for r in answer.ratings.all()} if answer else {}
        if assessment_round.is_needs:
            self.fields["expectations"] = forms.CharField(
                label=_("What do you expect from the programme?"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Only you and the programme team read this."),
            )
            self.fields["priorities"] = forms.ModelMultipleChoiceField(
                label=_("Which skills matter most to you? (up to %(count)d)") % {"count": MAX_PRIORITIES},
                queryset=Competency.objects.filter(pk__in=[c.pk for c in competencies]).order_by("position", "name"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if answer:
                self.initial.setdefault("expectations", answer.expectations)
                self.initial.setdefault("priorities", [p.pk for p in answer.priorities.all()])
        for competency in competencies:
            name = rating_field_name(competency)
            self.fields[name] = forms.TypedChoiceField(
                label=competency.name,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=competency.description,
                error_messages={"required": _("Choose a level for this skill.")},
            )
            if competency.pk in current:
                self.initial.setdefault(name, current[competency.pk])

    def clean_priorities(self):
        chosen = self.cleaned_data["priorities"]
        if len(chosen) > MAX_PRIORITIES:
            raise forms.ValidationError(_("Choose at most %(count)d skills.") % {"count": MAX_PRIORITIES})
        return chosen

    def rating_fields(self):
        return [self[rating_field_name(c)] for c in self.competencies]

    def ratings(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[rating_field_name(c)] for c in self.competencies}


class LinkSessionForm(forms.Form):
    """The team plans a session against a need: the session trains the competency."""

    competency = forms.ModelChoiceField(label=_("Skill"), queryset=Competency.objects.none())
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(programme=programme, retired=False).order_by(
            "position", "name"
        )
        self.fields["session"].queryset = (
            Session.objects.filter(camp__programme=programme).select_related("camp").order_by("starts_at")
        )
        self.fields["session"].label_from_instance = lambda s: f"{s.camp.number}. {s.camp.title}: {s.title}"
