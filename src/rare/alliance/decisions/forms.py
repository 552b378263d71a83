"""Forms of collective decisions: a new proposal, an answer, an outcome."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rare.alliance.decisions.models import Answer, AnswerChoice, Proposal

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M")


class ProposalForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=None,
        required=False,
        empty_label=_("The whole programme"),
        help_text=_("Who answers: the members of this group, or every member of the programme."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("What is proposed and why.")
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line. Not used for consent. For a time poll write each time as YYYY-MM-DD HH:MM "
            "(in your time zone)."
        ),
    )
    closes_at = forms.DateTimeField(label=_("Deadline"), widget=DATETIME_INPUT)
    hide_results = forms.BooleanField(
        label=_("Hide the results until the deadline"),
        required=False,
        help_text=_("If ticked, nobody (not you, not the programme team) sees the answers before the close."),
    )

    def __init__(self, *args, groups, allow_programme: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].required = not allow_programme

    def clean_closes_at(self) -> dt.datetime:
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return closes_at

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lines = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        if kind == Proposal.Kind.TIME_POLL:
            times = []
            for line in lines:
                parsed = _parse_time(line)
                if parsed is None:
                    self.add_error("options", _("%(line)s is not a time like 2026-05-04 14:00.") % {"line": line})
                    return data
                times.append(parsed)
            lines = times
        if kind and kind != Proposal.Kind.CONSENT and len(lines) < 2:
            self.add_error("options", _("Give at least two options, one per line."))
        data["option_list"] = lines if kind != Proposal.Kind.CONSENT else []
        return data


def _parse_time(text: str) -> dt.datetime | None:
    for pattern in TIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(text, pattern))
        except ValueError:
            continue
    return None


class AnswerForm(forms.Form):
    """Built for one proposal: a position (consent), a choice (vote), choices (poll) or one field per time."""

    reason = forms.CharField(
        label=_("Your reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with your answer to everyone who may see the results. Required if you object."),
    )

    def __init__(self, *args, proposal: Proposal, answer: Answer | None = None, **kwargs):
        self.proposal = proposal
        initial = kwargs.pop("initial", {}) or {}
        chosen = {c.option_id: c.value for c in answer.choices.all()} if answer else {}
        if answer is not None:
            initial["reason"] = answer.reason
        super().__init__(*args, initial=initial, **kwargs)
        options = list(proposal.options.all())
        Kind = Proposal.Kind
        if proposal.kind == Kind.CONSENT:
            self.fields["position"] = forms.ChoiceField(
                label=_("Your position"),
                choices=Answer.Position.choices,
                widget=forms.RadioSelect,
                initial=answer.position if answer else None,
            )
        elif proposal.kind == Kind.VOTE:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your choice"),
                choices=[(o.pk, str(o)) for o in options],
                widget=forms.RadioSelect,
                initial=next(iter(chosen), None),
            )
        elif proposal.kind == Kind.POLL:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                choices=[(o.pk, str(o)) for o in options],
                widget=forms.CheckboxSelectMultiple,
                initial=list(chosen),
            )
        else:
            for option in options:
                self.fields[f"time_{option.pk}"] = forms.ChoiceField(
                    label=str(option),
                    choices=AnswerChoice.Value.choices,
                    widget=forms.RadioSelect,
                    initial=chosen.get(option.pk),
                )
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def clean(self):
        data = super().clean()
        if data.get("position") == Answer.Position.OBJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why you object, so that the proposal can be improved."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind = self.proposal.kind
        arguments = {"reason": data.get("reason", "")}
        if kind == Proposal.Kind.CONSENT:
            arguments["position"] = data["position"]
        elif kind == Proposal.Kind.VOTE:
            arguments["choices"] = [int(data["choice"])]
        elif kind == Proposal.Kind.POLL:
            arguments["choices"] = [int(pk) for pk in data["choices"]]
        else:
            arguments["choices"] = {
                int(name.removeprefix("time_")): value for name, value in data.items() if name.startswith("time_")
            }
        return arguments


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was decided and what happens next."),
    )
