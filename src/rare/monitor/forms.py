"""Forms of the monitor: linking records across borders, naming a measure's tactic, chart filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rare.community.mapdata import GRID
from rare.monitor.models import Measure, SpilloverLink
from rare.solidarity.models import Alert

FIRST_YEAR = 2000


def country_choices() -> list[tuple[str, str]]:
    """The countries of the map, by name."""
    return [(code, str(countries.name(code))) for code in sorted(GRID, key=lambda code: str(countries.name(code)))]


class LinkForm(forms.Form):
    """Link the record of the page to another one (`other` is "alert:<id>" or "measure:<id>")."""

    other = forms.ChoiceField(label=_("Linked record"))
    kind = forms.ChoiceField(label=_("What they share"), choices=SpilloverLink.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, alerts: list[Alert] = (), measures: list[Measure] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {f"alert:{a.pk}": a for a in alerts} | {f"measure:{m.pk}": m for m in measures}
        self.fields["other"].choices = [
            (
                _("Alerts"),
                [(f"alert:{a.pk}", f"{a.country.code} · {a.occurred_on:%Y-%m-%d} · {a.title}") for a in alerts],
            ),
            (
                _("Measures"),
                [(f"measure:{m.pk}", f"{m.country.code} · {m.introduced_on:%Y-%m-%d} · {m.title}") for m in measures],
            ),
        ]

    def clean_other(self):
        return self.records[self.cleaned_data["other"]]


class TacticForm(forms.Form):
    tactic = forms.CharField(
        label=_("Tactic"),
        required=False,
        max_length=200,
        help_text=_("A short name the same tactic gets wherever it appears, such as “foreign agent register”."),
    )


class ChartFilterForm(forms.Form):
    """The filters of the monitor's charts. Invalid values are dropped, never an error page."""

    BY_CHOICES = (("year", _("year")), ("quarter", _("quarter")))

    country = forms.ChoiceField(label=_("Country"), required=False)
    category = forms.ChoiceField(
        label=_("Alert category"), required=False, choices=[("", _("All categories")), *Alert.Category.choices]
    )
    start = forms.IntegerField(label=_("From year"), required=False, min_value=FIRST_YEAR)
    end = forms.IntegerField(label=_("To year"), required=False, min_value=FIRST_YEAR)
    by = forms.ChoiceField(label=_("Count by"), required=False, choices=BY_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        for name in ("start", "end"):
            self.fields[name].max_value = dt.date.today().year + 1
            self.fields[name].widget.attrs.update({"max": dt.date.today().year + 1, "inputmode": "numeric"})

    def chosen(self) -> dict:
        """The valid filters, with defaults: {"country", "category", "start", "end", "by"}."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            start, end = end, start
        return {
            "country": data.get("country") or "",
            "category": data.get("category") or "",
            "start": start,
            "end": end,
            "by": data.get("by") or "year",
        }
