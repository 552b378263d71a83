"""The network map: a tile-grid cartogram of Europe, drawn by us.

Every country is one square at a fixed place in a grid that roughly follows geography (north at the
top), labelled with its ISO code and the number it stands for. The squares are coloured in six steps
(classes `map-step-0` to `map-step-5` in rare.css): step 0 means nobody there, steps 1 to 5 split the
range up to the largest count into fifths. The page draws it as inline SVG and repeats the numbers in a
table below, which is the text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django_countries import countries

# (column, row) of each country in the grid. Our own layout: a compromise between shape and neighbours.
GRID: dict[str, tuple[int, int]] = {
    "IS": (0, 0),
    "NO": (4, 0),
    "SE": (5, 0),
    "FI": (6, 0),
    "IE": (0, 1),
    "GB": (1, 1),
    "DK": (4, 1),
    "EE": (6, 1),
    "NL": (3, 2),
    "DE": (4, 2),
    "PL": (5, 2),
    "LV": (6, 2),
    "BE": (3, 3),
    "CZ": (4, 3),
    "SK": (5, 3),
    "LT": (6, 3),
    "BY": (7, 3),
    "FR": (2, 4),
    "LU": (3, 4),
    "AT": (4, 4),
    "HU": (5, 4),
    "UA": (6, 4),
    "MD": (7, 4),
    "PT": (0, 5),
    "ES": (1, 5),
    "AD": (2, 5),
    "CH": (3, 5),
    "SI": (4, 5),
    "HR": (5, 5),
    "RO": (6, 5),
    "MC": (2, 6),
    "IT": (3, 6),
    "BA": (4, 6),
    "RS": (5, 6),
    "BG": (6, 6),
    "GE": (8, 6),
    "MT": (3, 7),
    "ME": (4, 7),
    "MK": (5, 7),
    "AM": (8, 7),
    "AZ": (9, 7),
    "AL": (4, 8),
    "GR": (5, 8),
    "TR": (7, 8),
    "CY": (8, 8),
}
TILE = 56
GAP = 4
STEPS = 5


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    x: int
    y: int
    count: int
    step: int
    organisations: int
    people: int

    size: int = TILE

    @property
    def code_y(self) -> int:
        return self.y + TILE // 2 - 4

    @property
    def count_y(self) -> int:
        return self.y + TILE // 2 + 16

    @property
    def middle_x(self) -> int:
        return self.x + TILE // 2


@dataclass(frozen=True)
class Step:
    number: int
    low: int
    high: int


def step_of(count: int, largest: int) -> int:
    """0 for nobody, else 1 to STEPS: which fifth of the range up to `largest` the count falls in."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, min(STEPS, math.ceil(STEPS * count / largest)))


def legend(largest: int) -> list[Step]:
    """The steps in use for this largest count, each with the range of counts it covers."""
    steps = []
    for number in range(1, STEPS + 1):
        low = max(1, math.floor((number - 1) * largest / STEPS) + 1)
        high = math.floor(number * largest / STEPS)
        if largest > 0 and low <= high:
            steps.append(Step(number=number, low=low, high=high))
    return steps


@dataclass(frozen=True)
class NetworkMap:
    tiles: list[Tile]
    width: int
    height: int
    legend: list[Step]
    largest: int
    rows: list[Tile]  # every country with someone there, on the map or not, by name: the table
    measure: str


def build(counts: dict[str, dict[str, int]], *, measure: str) -> NetworkMap:
    """The map of `counts` ({code: {"organisations": n, "people": n}}), coloured by `measure`."""
    empty = {"organisations": 0, "people": 0}
    largest = max((c[measure] for c in counts.values()), default=0)

    def tile(code: str, column: int = 0, row: int = 0) -> Tile:
        numbers = counts.get(code, empty)
        return Tile(
            code=code,
            name=str(countries.name(code)) or code,
            x=column * (TILE + GAP),
            y=row * (TILE + GAP),
            count=numbers[measure],
            step=step_of(numbers[measure], largest),
            organisations=numbers["organisations"],
            people=numbers["people"],
        )

    tiles = [tile(code, column, row) for code, (column, row) in GRID.items()]
    rows = sorted(
        (tile(code) for code, numbers in counts.items() if numbers["organisations"] or numbers["people"]),
        key=lambda t: t.name,
    )
    columns = max(c for c, _ in GRID.values()) + 1
    grid_rows = max(r for _, r in GRID.values()) + 1
    return NetworkMap(
        tiles=tiles,
        width=columns * (TILE + GAP) - GAP,
        height=grid_rows * (TILE + GAP) - GAP,
        legend=legend(largest),
        largest=largest,
        rows=rows,
        measure=measure,
    )
