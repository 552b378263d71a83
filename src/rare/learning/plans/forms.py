"""The form that adds an item to a learning plan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rare.learning.models import Competency, Resource
from rare.learning.plans.queries import sessions_for_plan
from rare.programme.models import Programme, Session


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return f"{obj.camp.number}. {obj.camp.title}: {obj.title}"


class PlanItemForm(forms.Form):
    session = SessionChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    resource = forms.ModelChoiceField(label=_("Or a resource"), queryset=Resource.objects.none(), required=False)
    title = forms.CharField(
        label=_("Or another activity"),
        required=False,
        max_length=200,
        help_text=_("A reading, a course or a meeting, if it is not a session."),
    )
    competency = forms.ModelChoiceField(label=_("Skill"), queryset=Competency.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, programme: Programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions_for_plan(programme)
        self.fields["resource"].queryset = Resource.objects.visible_to(user).order_by("title", "pk")
        self.fields["competency"].queryset = Competency.objects.filter(programme=programme, retired=False).order_by(
            "position", "name"
        )

    def clean(self):
        cleaned = super().clean()
        chosen = [
            bool(cleaned.get("session")),
            bool(cleaned.get("resource")),
            bool((cleaned.get("title") or "").strip()),
        ]
        if sum(chosen) != 1:
            raise forms.ValidationError(_("Choose one session or one resource, or name another activity."))
        return cleaned
