"""The charts of the key figures (dashboard and funder report), drawn by `rare.core.charts`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rare.core.charts import bar_chart, line_chart
from rare.reports.queries import KeyFigures


def charts_of(figures: KeyFigures) -> dict:
    growth = [row for row in figures.capacity.growth if row.first is not None or row.latest is not None]
    categories = [(str(i), row.name, str(i + 1)) for i, row in enumerate(growth)]
    values = {}
    for i, row in enumerate(growth):
        values[(str(i), "first")] = row.first or 0
        values[(str(i), "latest")] = row.latest or 0
    skills = bar_chart(
        ident="skills-growth",
        title=_("Self-rated skills, first and latest assessment"),
        description=_("Average self-rating of the cohort per competency, on a scale of 1 to 5."),
        categories=categories,
        series=[("first", _("first assessment")), ("latest", _("latest assessment"))],
        values=values,
        stacked=False,
        value_label=_("average rating"),
        category_label=_("Competency"),
    )
    names = [
        ("sessions", _("sessions held")),
        ("attendances", _("attendances")),
        ("actions_done", _("actions done")),
        ("engagements", _("advocacy engagements")),
        ("pledges", _("response pledges")),
    ]
    activity = line_chart(
        ident="activity-per-quarter",
        title=_("Activity per quarter"),
        description=_("Sessions, attendance, actions done, engagements and response pledges in each quarter."),
        series=names,
        points={key: [(q.starts_on, getattr(q, key)) for q in figures.quarters] for key, _label in names},
        value_label=_("count"),
    )
    return {"skills": skills, "activity": activity}
