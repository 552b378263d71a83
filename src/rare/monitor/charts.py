"""Server-rendered pictures of the monitor: the ratings map, a country's rating history, the spill-over
graph. Bar and line charts over time use the shared `rare.core.charts`.

The map reuses the tile grid of the network map (`rare.community.mapdata`: the same places, tile size and
gap) and colours each country by its current rating (classes `rating-<value>` in rare.css). The history is
a step chart: time runs left to right, the five ratings stand one above the other (open at the top), and
the line steps to a new level on the day a new rating was given. Both are drawn as inline SVG by the
templates; the pages repeat everything in a table, which is the text alternative.

The spill-over graph puts each country at its place on the same grid (a simple, stable layout; those
without links faint) and draws one curved arrow per pair of countries, labelled with the kinds of link; its table of
edges is the text alternative.
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


# -- the spill-over graph -----------------------------------------------------------------------------

NODE_RADIUS = 18
NODE_SPACING = 64  # the distance between two grid places
EDGE_BEND = 18  # how far an edge curves away from the straight line, so that A→B and B→A do not overlap


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    x: int
    y: int


@dataclass(frozen=True)
class Edge:
    source: Node
    target: Node
    kinds: list[tuple[str, str, int]]  # (kind, label, how many links) on this pair, in order
    count: int
    path: str  # the `d` of a gentle curve from the edge of one node to the edge of the other
    label_x: int
    label_y: int

    @property
    def label(self) -> str:
        return ", ".join(f"{label} ({count})" if count > 1 else label for _, label, count in self.kinds)


@dataclass(frozen=True)
class SpilloverGraph:
    width: int
    height: int
    nodes: list[Node]  # the countries with links
    edges: list[Edge]
    background: list[Node]  # the other countries of the map, drawn faintly
    radius: int = NODE_RADIUS


def _place(codes: list[str]) -> dict[str, tuple[int, int]]:
    """Grid places for the countries: their map place, or a free row under the map for the others."""
    places = {code: GRID[code] for code in codes if code in GRID}
    bottom = max((row for _, row in GRID.values()), default=0) + 1
    for number, code in enumerate(sorted(code for code in codes if code not in GRID)):
        places[code] = (number % 8, bottom + number // 8)
    return places


def spillover_graph(edges: list[dict], kind_labels: dict[str, str]) -> SpilloverGraph | None:
    """Every country of the map at its place (the ones without links faint, for orientation), and one
    curved, labelled arrow per (source country, target country) carrying every kind of link between them.
    `edges` are the rows of `queries.graph_edges`. None without edges."""
    if not edges:
        return None
    pairs: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for row in edges:
        pair = (str(row["source_country"]), str(row["target_country"]))
        pairs.setdefault(pair, []).append((row["kind"], str(kind_labels.get(row["kind"], row["kind"])), row["count"]))
    linked = sorted({code for pair in pairs for code in pair})
    places = _place(sorted(set(GRID) | set(linked)))
    margin = NODE_RADIUS + 8
    nodes = {
        code: Node(
            code=code,
            name=str(countries.name(code)) or code,
            x=margin + column * NODE_SPACING,
            y=margin + row * NODE_SPACING,
        )
        for code, (column, row) in places.items()
    }
    drawn = []
    for (source_code, target_code), kinds in sorted(pairs.items()):
        source, target = nodes[source_code], nodes[target_code]
        dx, dy = target.x - source.x, target.y - source.y
        length = max((dx * dx + dy * dy) ** 0.5, 1)
        ux, uy = dx / length, dy / length
        # Bend to the left of the direction of travel: the way back bends the other way.
        cx = (source.x + target.x) / 2 - uy * EDGE_BEND
        cy = (source.y + target.y) / 2 + ux * EDGE_BEND
        start = (source.x + ux * NODE_RADIUS, source.y + uy * NODE_RADIUS)
        end = (target.x - ux * (NODE_RADIUS + 4), target.y - uy * (NODE_RADIUS + 4))
        drawn.append(
            Edge(
                source=source,
                target=target,
                kinds=kinds,
                count=sum(count for _, _, count in kinds),
                path=f"M{start[0]:.0f} {start[1]:.0f} Q{cx:.0f} {cy:.0f} {end[0]:.0f} {end[1]:.0f}",
                label_x=round(0.25 * start[0] + 0.5 * cx + 0.25 * end[0]),
                label_y=round(0.25 * start[1] + 0.5 * cy + 0.25 * end[1]),
            )
        )
    return SpilloverGraph(
        width=max(node.x for node in nodes.values()) + margin,
        height=max(node.y for node in nodes.values()) + margin,
        nodes=[nodes[code] for code in linked],
        edges=drawn,
        background=[node for code, node in sorted(nodes.items()) if code not in set(linked)],
    )
