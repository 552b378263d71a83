"""Charts drawn on the server as SVG, each with a text alternative: one helper for every app.

A chart is plain data computed here (scales, ticks, the geometry of every mark) and drawn by a template
partial. Nothing runs in the browser, nothing is styled inline: colours come from CSS classes in
`rare.css` (`chart-series-0` to `chart-series-7`) and every series also has a look that does not rely on
colour (a fill pattern for bars, a marker shape and a dash for lines), shown the same way in the key.

Bar chart: categories along the bottom (years, countries, kinds...), one bar per series in each category
(`stacked=False`, side by side) or one bar per category with the series stacked (`stacked=True`)::

    from rare.core.charts import bar_chart

    chart = bar_chart(
        ident="alerts-by-year",  # unique on the page: the ids of the title, description and patterns
        title=_("Alerts per year"),
        description=_("Verified alerts per year and category."),
        categories=[("2023", "2023"), ("2024", "2024")],  # (key, label[, short label under the axis]), in order
        series=[("smear", _("smear campaign")), ("raid", _("raid"))],  # (key, label), in order
        values={("2023", "smear"): 3, ("2024", "raid"): 1},  # (category key, series key) -> number; 0 if absent
        stacked=True,
        value_label=_("alerts"),  # what the numbers count: the vertical axis and the table
        category_label=_("Year"),  # the heading of the table's first column
    )

    {% include "partials/chart_bar.html" with chart=chart %}

Line chart over time: one line per series through (date, value) points, time left to right::

    from rare.core.charts import line_chart

    chart = line_chart(
        ident="members-over-time",
        title=_("Members over time"),
        description=_("..."),
        series=[("hu", "Hungary"), ("pl", "Poland")],
        points={"hu": [(dt.date(2024, 1, 1), 4), (dt.date(2025, 1, 1), 6)], "pl": [...]},  # any order
        value_label=_("members"),
    )

    {% include "partials/chart_line.html" with chart=chart %}

Both partials draw a `<figure>` whose `<svg role="img">` is labelled by its `<title>` and `<desc>`, then a
key, then a `<details>` holding a real `<table>` with every number (categories or dates as rows, series as
columns, with totals for stacked bars). A chart with no data (`chart.empty`) shows a sentence instead of an
empty picture; the table still renders. The SVG has a `viewBox` and scales down to 320 px wide.

`nice_ticks(maximum)` gives the round steps of a vertical axis from 0 and is usable on its own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.text import slugify

STYLES = 8  # how many distinct looks (colour class + pattern or marker) before they repeat
PATTERNS = ("solid", "diagonal", "dots", "horizontal", "crosshatch", "vertical", "backdiagonal", "grid")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle", "diamond")

WIDTH = 640
HEIGHT = 280
LEFT = 56  # room for the numbers of the vertical axis
RIGHT = 16
TOP = 16
BOTTOM = 40  # room for the labels along the bottom
MAX_BOTTOM_LABELS = 12  # more categories than this: only every n-th is labelled under the axis (all are in the table)


# -- shared pieces ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    style: int  # 0..STYLES-1: the colour class, the pattern and the marker

    @property
    def css_class(self) -> str:
        return f"chart-series-{self.style}"

    @property
    def pattern(self) -> str:
        return PATTERNS[self.style]

    @property
    def marker(self) -> str:
        return MARKERS[self.style]

    @property
    def dashed(self) -> bool:
        return self.style >= STYLES // 2


@dataclass(frozen=True)
class Tick:
    value: float | int | dt.date
    position: int  # y for a vertical axis, x for a horizontal one
    label: str = ""
    date_format: str = ""  # for date ticks: the argument of the `date` filter


@dataclass(frozen=True)
class TableRow:
    label: str | dt.date
    cells: list[float | int | None]  # one per series, None where there is no value
    total: float | int | None = None


def nice_ticks(maximum: float, count: int = 5) -> list[float | int]:
    """Round steps from 0 up to at least `maximum`, about `count` of them (0 and 1 for an empty axis).

    Above 1 the steps are whole numbers (1, 2, 5, 10, 20, 50...), as most charts count things."""
    if maximum <= 0 or math.isnan(maximum):
        return [0, 1]
    raw = maximum / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if maximum >= 1 and not float(step).is_integer() and step >= 1:
            continue  # steps of 2.5 or 25 suit measurements, not the counts most charts show
        if step >= raw:
            break
    if maximum >= 1 and step < 1:
        step = 1
    top = math.ceil(maximum / step - 1e-9) * step
    ticks = []
    value = 0.0
    while value <= top + step / 2:
        ticks.append(round(value) if float(step).is_integer() else round(value, 10))
        value += step
    return ticks


def _ident(ident: str) -> str:
    return slugify(ident) or "chart"


def _series(series: Sequence[tuple[str, str]]) -> list[Series]:
    return [Series(key=str(key), label=str(label), style=number % STYLES) for number, (key, label) in enumerate(series)]


def _y_axis(maximum: float, *, top: int, bottom: int) -> tuple[list[Tick], float]:
    ticks = nice_ticks(maximum)
    scale = (bottom - top) / ticks[-1]
    return [Tick(value=value, position=round(bottom - value * scale)) for value in ticks], scale


# -- bar chart --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value: float | int
    series: Series
    category: str  # the category's label


@dataclass(frozen=True)
class BarChart:
    ident: str
    title: str
    description: str
    value_label: str
    category_label: str  # the heading of the table's first column
    stacked: bool
    width: int
    height: int
    left: int
    right_x: int
    top: int
    bottom_y: int
    series: list[Series]
    bars: list[Bar]
    y_ticks: list[Tick]
    x_labels: list[Tick]  # the category labels under the axis (position = middle of the band)
    rows: list[TableRow]  # the table: one row per category
    empty: bool
    show_totals: bool = field(default=False)

    @property
    def patterns(self) -> list[Series]:
        """The series that need a fill pattern defined (all but the solid one), once each."""
        seen, found = set(), []
        for series in self.series:
            if series.pattern != "solid" and series.style not in seen:
                seen.add(series.style)
                found.append(series)
        return found


def bar_chart(
    *,
    ident: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, str] | tuple[str, str, str]],
    series: Sequence[tuple[str, str]],
    values: Mapping[tuple[str, str], float | int],
    stacked: bool = False,
    value_label: str = "",
    category_label: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> BarChart:
    """A bar chart of `values` by category and series (see the module docstring)."""
    all_series = _series(series)
    axis_labels = [str(category[2]) if len(category) > 2 else str(category[1]) for category in categories]
    categories = [(str(category[0]), str(category[1])) for category in categories]

    def value(category: str, series_key: str) -> float | int:
        return values.get((category, series_key), 0) or 0

    if stacked:
        maximum = max((sum(value(c, s.key) for s in all_series) for c, _ in categories), default=0)
    else:
        maximum = max((value(c, s.key) for c, _ in categories for s in all_series), default=0)
    right_x, bottom_y = width - RIGHT, height - BOTTOM
    y_ticks, scale = _y_axis(maximum, top=TOP, bottom=bottom_y)

    bars: list[Bar] = []
    x_labels: list[Tick] = []
    band = (right_x - LEFT) / max(len(categories), 1)
    every = max(1, math.ceil(len(categories) / MAX_BOTTOM_LABELS))
    for number, (key, label) in enumerate(categories):
        start = LEFT + number * band
        if number % every == 0:
            x_labels.append(Tick(value=number, position=round(start + band / 2), label=axis_labels[number]))
        if stacked:
            bar_width = band * 0.6
            x = round(start + band * 0.2)
            base = float(bottom_y)
            for one in all_series:
                amount = value(key, one.key)
                if amount <= 0:
                    continue
                height_px = amount * scale
                base -= height_px
                bars.append(
                    Bar(
                        x=x,
                        y=round(base),
                        width=max(1, round(bar_width)),
                        height=max(1, round(height_px)),
                        value=amount,
                        series=one,
                        category=label,
                    )
                )
        else:
            bar_width = band * 0.8 / max(len(all_series), 1)
            for position, one in enumerate(all_series):
                amount = value(key, one.key)
                if amount <= 0:
                    continue
                height_px = amount * scale
                bars.append(
                    Bar(
                        x=round(start + band * 0.1 + position * bar_width),
                        y=round(bottom_y - height_px),
                        width=max(1, round(bar_width)),
                        height=max(1, round(height_px)),
                        value=amount,
                        series=one,
                        category=label,
                    )
                )

    show_totals = len(all_series) > 1
    rows = []
    for key, label in categories:
        cells = [value(key, one.key) for one in all_series]
        rows.append(TableRow(label=label, cells=cells, total=sum(cells) if show_totals else None))
    return BarChart(
        ident=_ident(ident),
        title=str(title),
        description=str(description),
        value_label=str(value_label),
        category_label=str(category_label),
        stacked=stacked,
        width=width,
        height=height,
        left=LEFT,
        right_x=right_x,
        top=TOP,
        bottom_y=bottom_y,
        series=all_series,
        bars=bars,
        y_ticks=y_ticks,
        x_labels=x_labels,
        rows=rows,
        empty=maximum <= 0,
        show_totals=show_totals,
    )


# -- line chart over time ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinePoint:
    x: int
    y: int
    when: dt.date
    value: float | int
    marker_path: str  # the `d` of the marker drawn at this point


@dataclass(frozen=True)
class Line:
    series: Series
    path: str  # the `d` of the line
    points: list[LinePoint]


@dataclass(frozen=True)
class LineChart:
    ident: str
    title: str
    description: str
    value_label: str
    width: int
    height: int
    left: int
    right_x: int
    top: int
    bottom_y: int
    series: list[Series]
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    rows: list[TableRow]  # the table: one row per date, oldest first
    empty: bool


def marker_path(shape: str, x: int, y: int, size: int = 5) -> str:
    """The SVG path of a small marker centred on (x, y)."""
    s = size
    if shape == "square":
        return f"M{x - s} {y - s}h{2 * s}v{2 * s}h{-2 * s}Z"
    if shape == "triangle":
        return f"M{x} {y - s - 1}L{x + s + 1} {y + s}H{x - s - 1}Z"
    if shape == "diamond":
        return f"M{x} {y - s - 1}L{x + s + 1} {y}L{x} {y + s + 1}L{x - s - 1} {y}Z"
    return f"M{x - s} {y}a{s} {s} 0 1 0 {2 * s} 0a{s} {s} 0 1 0 {-2 * s} 0Z"


def _date_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], str]:
    """Round dates between start and end for the time axis, and how to print them."""
    years = end.year - start.year
    if years >= 2:
        step = max(1, math.ceil((years + 1) / 10))
        first = start.year if start == dt.date(start.year, 1, 1) else start.year + 1
        return [dt.date(year, 1, 1) for year in range(first, end.year + 1, step)], "Y"
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 8 else 3 if months <= 24 else 6
    ticks = []
    year, month = start.year, start.month
    if start.day != 1:
        month += 1
        if month > 12:
            year, month = year + 1, 1
    while (year, month) <= (end.year, end.month):
        if (month - 1) % step == 0:
            ticks.append(dt.date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks, "YEAR_MONTH_FORMAT"


def line_chart(
    *,
    ident: str,
    title: str,
    description: str,
    series: Sequence[tuple[str, str]],
    points: Mapping[str, Sequence[tuple[dt.date, float | int]]],
    value_label: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """A line chart over time: one line per series through its (date, value) points."""
    all_series = _series(series)
    by_series = {one.key: sorted(points.get(one.key, ()), key=lambda p: p[0]) for one in all_series}
    dates = sorted({when for found in by_series.values() for when, _ in found})
    maximum = max((amount for found in by_series.values() for _, amount in found), default=0)
    right_x, bottom_y = width - RIGHT, height - BOTTOM
    y_ticks, scale = _y_axis(maximum, top=TOP, bottom=bottom_y)

    if dates:
        start, end = dates[0], dates[-1]
        span = (end - start).days

        def x_of(when: dt.date) -> int:
            if span == 0:
                return round((LEFT + right_x) / 2)
            return round(LEFT + (when - start).days * (right_x - LEFT) / span)

        tick_dates, date_format = _date_ticks(start, end) if span else ([start], "DATE_FORMAT")
        x_ticks = [Tick(value=when, position=x_of(when), date_format=date_format) for when in tick_dates]
    else:
        x_ticks = []

        def x_of(when: dt.date) -> int:  # pragma: no cover - no points, nothing to place
            return LEFT

    lines = []
    for one in all_series:
        placed = [
            LinePoint(
                x=x_of(when),
                y=round(bottom_y - amount * scale),
                when=when,
                value=amount,
                marker_path=marker_path(one.marker, x_of(when), round(bottom_y - amount * scale)),
            )
            for when, amount in by_series[one.key]
        ]
        path = " ".join(("M" if number == 0 else "L") + f"{p.x} {p.y}" for number, p in enumerate(placed))
        lines.append(Line(series=one, path=path, points=placed))

    lookup = {(one.key, when): amount for one in all_series for when, amount in by_series[one.key]}
    rows = [TableRow(label=when, cells=[lookup.get((one.key, when)) for one in all_series]) for when in dates]
    return LineChart(
        ident=_ident(ident),
        title=str(title),
        description=str(description),
        value_label=str(value_label),
        width=width,
        height=height,
        left=LEFT,
        right_x=right_x,
        top=TOP,
        bottom_y=bottom_y,
        series=all_series,
        lines=lines,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        rows=rows,
        empty=not dates,
    )
