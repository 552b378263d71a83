"""The shared chart helper: scales, bar and line geometry, and the accessible markup of its partials."""

from __future__ import annotations

import datetime as dt
import re

from django.template.loader import render_to_string

from rare.core import charts


def test_nice_ticks_are_round_steps_from_zero_past_the_maximum():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(1) == [0, 1]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(10) == [0, 5, 10]  # a step of 2.5 is no good for counts under 10
    assert charts.nice_ticks(38) == [0, 10, 20, 30, 40]
    assert charts.nice_ticks(1234) == [0, 500, 1000, 1500]
    assert charts.nice_ticks(0.8) == [0, 0.2, 0.4, 0.6, 0.8]


def _bars(stacked: bool) -> charts.BarChart:
    return charts.bar_chart(
        ident="Alerts by year",
        title="Alerts per year",
        description="Alerts per year and category.",
        categories=[("2023", "2023"), ("2024", "2024")],
        series=[("smear", "smear campaign"), ("raid", "raid")],
        values={("2023", "smear"): 3, ("2023", "raid"): 1, ("2024", "raid"): 4},
        stacked=stacked,
        value_label="alerts",
        category_label="Year",
    )


def test_grouped_bars_stand_side_by_side_and_share_a_baseline():
    chart = _bars(stacked=False)

    assert chart.ident == "alerts-by-year"
    assert [(bar.category, bar.series.key, bar.value) for bar in chart.bars] == [
        ("2023", "smear", 3),
        ("2023", "raid", 1),
        ("2024", "raid", 4),
    ]
    assert {bar.y + bar.height for bar in chart.bars} == {chart.bottom_y}
    first, second, _ = chart.bars
    assert second.x == first.x + first.width
    assert [tick.value for tick in chart.y_ticks] == [0, 1, 2, 3, 4]
    assert chart.y_ticks[-1].position == chart.top
    tallest = chart.bars[2]
    assert tallest.y == chart.top
    assert [(row.label, row.cells, row.total) for row in chart.rows] == [("2023", [3, 1], 4), ("2024", [0, 4], 4)]
    assert chart.empty is False


def test_stacked_bars_pile_up_to_the_category_total():
    chart = _bars(stacked=True)

    smear, raid_2023, raid_2024 = chart.bars
    assert raid_2023.y + raid_2023.height == smear.y
    assert smear.x == raid_2023.x
    assert [tick.value for tick in chart.y_ticks] == [0, 1, 2, 3, 4]
    assert raid_2023.y == chart.top  # 3 + 1 reaches the top tick, 4
    assert raid_2024.y == chart.top


def test_series_have_distinct_looks_that_do_not_rely_on_colour():
    chart = charts.bar_chart(
        ident="many",
        title="t",
        description="d",
        categories=[("a", "A")],
        series=[(str(n), f"series {n}") for n in range(9)],
        values={("a", str(n)): n + 1 for n in range(9)},
    )

    looks = [(s.css_class, s.pattern, s.marker, s.dashed) for s in chart.series[: charts.STYLES]]
    assert len(set(looks)) == charts.STYLES
    assert chart.series[8].style == 0  # the looks repeat only after eight series
    assert [s.pattern for s in chart.patterns] == list(charts.PATTERNS[1:])


def test_an_empty_bar_chart_says_so_and_keeps_its_table():
    chart = charts.bar_chart(
        ident="x", title="Nothing", description="d", categories=[("a", "A")], series=[("s", "S")], values={}
    )

    page = render_to_string("partials/chart_bar.html", {"chart": chart})

    assert chart.empty is True
    assert chart.bars == []
    assert "<svg" not in page
    assert "nothing to show for this selection" in page
    assert "<table>" in page


def test_line_chart_places_points_by_date_and_value():
    chart = charts.line_chart(
        ident="members",
        title="Members over time",
        description="Members per country.",
        series=[("hu", "Hungary"), ("pl", "Poland")],
        points={
            "hu": [(dt.date(2024, 1, 1), 4), (dt.date(2022, 1, 1), 2)],
            "pl": [(dt.date(2023, 1, 1), 1)],
        },
        value_label="members",
    )

    hu, pl = chart.lines
    assert [(p.when.year, p.value) for p in hu.points] == [(2022, 2), (2024, 4)]
    assert hu.points[0].x == chart.left
    assert hu.points[1].x == chart.right_x
    assert pl.points[0].x == (chart.left + chart.right_x) // 2
    assert hu.points[1].y == chart.top
    assert hu.path.startswith(f"M{chart.left} ")
    assert [(tick.value.year, tick.date_format) for tick in chart.x_ticks] == [(2022, "Y"), (2023, "Y"), (2024, "Y")]
    assert [(row.label.year, row.cells) for row in chart.rows] == [
        (2022, [2, None]),
        (2023, [None, 1]),
        (2024, [4, None]),
    ]


def test_short_spans_are_ticked_by_month():
    chart = charts.line_chart(
        ident="m",
        title="t",
        description="d",
        series=[("s", "S")],
        points={"s": [(dt.date(2025, 1, 15), 1), (dt.date(2025, 4, 2), 3)]},
    )

    assert [(tick.value, tick.date_format) for tick in chart.x_ticks] == [
        (dt.date(2025, 2, 1), "YEAR_MONTH_FORMAT"),
        (dt.date(2025, 3, 1), "YEAR_MONTH_FORMAT"),
        (dt.date(2025, 4, 1), "YEAR_MONTH_FORMAT"),
    ]


def test_partials_are_labelled_images_with_a_data_table_and_no_inline_style():
    bar_page = render_to_string("partials/chart_bar.html", {"chart": _bars(stacked=True)})
    line_page = render_to_string(
        "partials/chart_line.html",
        {
            "chart": charts.line_chart(
                ident="l",
                title="Line",
                description="Desc.",
                series=[("a", "A"), ("b", "B")],
                points={"a": [(dt.date(2024, 1, 1), 1)], "b": [(dt.date(2025, 1, 1), 2)]},
            )
        },
    )

    for page, ident in ((bar_page, "alerts-by-year"), (line_page, "l")):
        assert 'role="img"' in page
        assert f'aria-labelledby="{ident}-title {ident}-desc"' in page
        assert f'<title id="{ident}-title">' in page
        assert f'<desc id="{ident}-desc">' in page
        assert '<details class="chart-data">' in page
        assert "<table>" in page
        assert re.search(r"\sstyle=", page) is None
        assert re.search(r"\son[a-z]+=", page) is None
    assert 'fill="url(#alerts-by-year-diagonal)"' in bar_page
    assert '<pattern id="alerts-by-year-diagonal"' in bar_page
    assert "<td>3</td>" in bar_page
    assert "chart__line--dashed" not in line_page
