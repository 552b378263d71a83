"""Server-rendered pictures of the monitor: the ratings map and a country's rating history.

The map reuses the tile grid of the network map (`rare.community.mapdata`: the same places, tile size and
gap) and colours each country by its current rating (classes `rating-<value>` in rare.css). The history is
a step chart: time runs left to right, the five ratings stand one above the other (open at the top), and
the line steps to a new level on the day a new rating was given. Both are drawn as inline SVG by the
templates; the pages repeat everything in a table, which is the text alternative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django_countries import countries

from rare.community.mapdata import GAP, GRID, TILE
from rare.monitor.models import RANK, CountryRating, Rating

# -- the map ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingTile:
    code: str
    name: str
    x: int
    y: int
    rating: str  # "" where the monitor has no rating yet
    rating_label: str
    size: int = TILE

    @property
    def code_y(self) -> int:
        return self.y + TILE // 2 + 5

    @property
    def middle_x(self) -> int:
        return self.x + TILE // 2


@dataclass(frozen=True)
class RatingMap:
    tiles: list[RatingTile]
    width: int
    height: int
    legend: list[tuple[str, str]]  # (value, label) of every rating, from open to closed
    rows: list[CountryRating]  # the current ratings, by country name: the table


def build_map(current: list[CountryRating]) -> RatingMap:
    by_code = {rating.country.code: rating for rating in current}
    tiles = []
    for code, (column, row) in GRID.items():
        rating = by_code.get(code)
        tiles.append(
            RatingTile(
                code=code,
                name=str(countries.name(code)) or code,
                x=column * (TILE + GAP),
                y=row * (TILE + GAP),
                rating=rating.rating if rating else "",
                rating_label=rating.get_rating_display() if rating else "",
            )
        )
    columns = max(c for c, _ in GRID.values()) + 1
    rows = max(r for _, r in GRID.values()) + 1
    return RatingMap(
        tiles=tiles,
        width=columns * (TILE + GAP) - GAP,
        height=rows * (TILE + GAP) - GAP,
        legend=list(Rating.choices),
        rows=sorted(current, key=lambda r: r.country.name),
    )


# -- the step chart -----------------------------------------------------------------------------------

WIDTH = 640
HEIGHT = 220
LEFT = 100  # room for the names of the ratings
RIGHT = 16
TOP = 16
BOTTOM = 32  # room for the years


@dataclass(frozen=True)
class Level:
    value: str
    label: str
    y: int


@dataclass(frozen=True)
class Tick:
    label: str
    x: int


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    rating: CountryRating


@dataclass(frozen=True)
class StepChart:
    width: int
    height: int
    left: int
    right_x: int
    bottom_y: int
    levels: list[Level]
    ticks: list[Tick]
    points: list[Point]
    path: str  # the `d` of the step line


def _y(rating: str) -> int:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + round(RANK[rating] * plot / (len(RANK) - 1))


def step_chart(history: list[CountryRating], *, today: dt.date | None = None) -> StepChart | None:
    """The step chart of a rating history (oldest first), from its first year to today; None if empty."""
    if not history:
        return None
    today = today or dt.date.today()
    start = dt.date(history[0].rated_on.year, 1, 1)
    end = max(today, history[-1].rated_on + dt.timedelta(days=1))
    span = (end - start).days
    right_x = WIDTH - RIGHT

    def x(day: dt.date) -> int:
        return LEFT + round((day - start).days * (right_x - LEFT) / span)

    points = [Point(x=x(r.rated_on), y=_y(r.rating), rating=r) for r in history]
    parts = [f"M{points[0].x} {points[0].y}"]
    level = points[0].y
    for point in points[1:]:
        if point.y != level:  # an unchanged rating continues the line: no step
            parts.append(f"H{point.x} V{point.y}")
            level = point.y
    parts.append(f"H{right_x}")
    ticks = [Tick(label=str(year), x=x(dt.date(year, 1, 1))) for year in range(start.year, end.year + 1)]
    return StepChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_x=right_x,
        bottom_y=HEIGHT - BOTTOM,
        levels=[Level(value=value, label=label, y=_y(value)) for value, label in Rating.choices],
        ticks=ticks,
        points=points,
        path=" ".join(parts),
    )
