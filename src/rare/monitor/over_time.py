"""The monitor's charts over time: alerts per category and measures per kind, by year or quarter, and
alerts per country. Built with `rare.core.charts` from the aggregate reads of `queries` (one query each),
so they count exactly what the viewer may see; the counts are kept two minutes per viewer (`_counts`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django_countries import countries

from rare.core import charts
from rare.core.visibility import kept_for_viewer
from rare.monitor import queries
from rare.monitor.models import Measure
from rare.solidarity.models import Alert

MAX_PERIODS = 40  # the most recent ones are shown when a range would be longer
COUNTS_SECONDS = 120  # how long the counts behind the charts are kept for one viewer


def _counts(user, *, country, category, since, until, by, with_countries) -> dict:
    """The rows behind the charts, counted over what `user` may see, kept COUNTS_SECONDS per viewer.

    Counting every visible alert twice (per period and per country) reads the whole alert table on
    each request: hundreds of milliseconds at the scale of a Europe-wide network, for charts of
    whole years and quarters that a report from the last minute or two barely changes. So the counts
    (never the records) are kept for two minutes, under a key made of `viewer_key` and the filters:
    one viewer is never given counts made for another visibility, and a change of what someone may
    see (a record made restricted, a membership removed) shows in the charts within two minutes, while
    the lists and records on every page stay live (`rare.core.visibility.kept_for_viewer`).
    """
    return kept_for_viewer(
        "monitor-counts",
        user,
        lambda: {
            "alerts": queries.alerts_over_time(user, country=country, category=category, start=since, end=until, by=by),
            "measures": queries.measures_over_time(user, country=country, start=since, end=until, by=by),
            "countries": (
                queries.alerts_by_country(user, category=category, start=since, end=until) if with_countries else []
            ),
        },
        seconds=COUNTS_SECONDS,
        filters=(country, category, since, until, by, with_countries),
    )


def _periods(found: list[tuple], *, by: str, start: int | None, end: int | None) -> list[tuple]:
    """Every period from the first to the last (years or (year, quarter)), gaps included."""
    years = [period[0] for period in found]
    first = start or (min(years) if years else None)
    last = end or (max(years) if years else None)
    if first is None or last is None:
        return []
    if by == "quarter":
        every = [(year, quarter) for year in range(first, last + 1) for quarter in (1, 2, 3, 4)]
        if found and not end:
            every = [period for period in every if period <= max(found)]
        if found and not start:
            every = [period for period in every if period >= min(found)]
    else:
        every = [(year,) for year in range(first, last + 1)]
    return every[-MAX_PERIODS:]


def _label(period: tuple) -> str:
    if len(period) == 2:
        return _("%(year)s Q%(quarter)s") % {"year": period[0], "quarter": period[1]}
    return str(period[0])


def _key(period: tuple) -> str:
    return "-".join(str(part) for part in period)


def _over_time(rows: list[dict], *, group: str, choices, by: str, start, end, **texts) -> charts.BarChart:
    periods = _periods(sorted({row["period"] for row in rows}), by=by, start=start, end=end)
    present = {row[group] for row in rows}
    return charts.bar_chart(
        categories=[(_key(period), _label(period)) for period in periods],
        series=[(value, label) for value, label in choices if value in present],
        values={(_key(row["period"]), row[group]): row["count"] for row in rows},
        stacked=True,
        category_label=_("Quarter") if by == "quarter" else _("Year"),
        **texts,
    )


def overview_charts(
    user,
    *,
    country: str = "",
    category: str = "",
    start: int | None = None,
    end: int | None = None,
    by: str = "year",
    with_countries: bool = True,
) -> dict:
    """The charts of the overview page, for `user`, under the chosen filters (without the chart by
    country if `with_countries` is False: a country's own page)."""
    since = dt.date(start, 1, 1) if start else None
    until = dt.date(end, 12, 31) if end else None
    where = str(countries.name(country)) if country else _("all countries")
    counts = _counts(
        user, country=country, category=category, since=since, until=until, by=by, with_countries=with_countries
    )
    alert_rows, measure_rows = counts["alerts"], counts["measures"]

    alerts_chart = _over_time(
        alert_rows,
        group="category",
        choices=Alert.Category.choices,
        by=by,
        start=start,
        end=end,
        ident="alerts-over-time",
        title=_("Alerts over time by category"),
        description=_("Alerts you may see, per period, stacked by category, in %(where)s.") % {"where": where},
        value_label=_("alerts"),
    )
    measures_chart = _over_time(
        measure_rows,
        group="kind",
        choices=Measure.Kind.choices,
        by=by,
        start=start,
        end=end,
        ident="measures-over-time",
        title=_("Restrictive measures over time by kind"),
        description=_("Measures you may see, by the period they were introduced, stacked by kind, in %(where)s.")
        % {"where": where},
        value_label=_("measures"),
    )
    if not with_countries:
        return {"alerts_chart": alerts_chart, "measures_chart": measures_chart}
    country_rows = counts["countries"]
    codes = sorted({row["country"] for row in country_rows}, key=lambda code: str(countries.name(code)))
    present = {row["category"] for row in country_rows}
    countries_chart = charts.bar_chart(
        ident="alerts-by-country",
        title=_("Alerts by country and category"),
        description=_("Alerts you may see in the chosen period, per country, stacked by category."),
        categories=[(code, str(countries.name(code)) or code, code) for code in codes],
        series=[(value, label) for value, label in Alert.Category.choices if value in present],
        values={(row["country"], row["category"]): row["count"] for row in country_rows},
        stacked=True,
        value_label=_("alerts"),
        category_label=_("Country"),
    )
    return {"alerts_chart": alerts_chart, "measures_chart": measures_chart, "countries_chart": countries_chart}
