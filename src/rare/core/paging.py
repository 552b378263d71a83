"""Counts that stop at a bound, so a page or API list costs the same however large its table grows.

Counting every row a member may see is a scan of the whole visible table (200,000 alerts, a million
pledges) on every request, only to print a number. Here a count stops after `COUNT_BOUND` rows: the
database runs `SELECT COUNT(*) FROM (SELECT ... LIMIT bound + 1)`, which reads at most bound + 1 rows
whatever the table size. The number is exact up to the bound; above it the pages say "more than
10,000" and the API answers `count: null` with `count_exact: false`, never a wrong number.

- `bounded_count(rows)`: a `BoundedCount` (the number and whether it is exact); in a template it reads
  "1,234" or "more than 10,000" (translated).
- `BoundedPaginator`: Django's `Paginator` with such a count. Previous and next links keep working
  above the bound; the page label says "Page 3 of more than 400" instead of inventing a last page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_BOUND = 10_000

# The deepest row a paginator counts up to, whatever page is asked for: PostgreSQL's LIMIT is a bigint.
_MAX_HORIZON = 2**62


@dataclass(frozen=True)
class BoundedCount:
    """How many rows there are: `value` exactly when `exact`, otherwise more than `value` (the bound)."""

    value: int
    exact: bool

    def __str__(self) -> str:
        shown = number_format(self.value, force_grouping=True)
        if self.exact:
            return shown
        return _("more than %(number)s") % {"number": shown}


def bounded_count(rows, bound: int | None = None) -> BoundedCount:
    """Count `rows` (a queryset or a list) up to `bound` (default COUNT_BOUND): exact up to the bound.

    A queryset is counted by the database over at most bound + 1 rows, in no particular order (the
    ordering is dropped: it changes nothing about how many rows there are, and lets the database stop
    at the first rows it finds)."""
    bound = COUNT_BOUND if bound is None else bound
    found = rows.order_by()[: bound + 1].count() if isinstance(rows, QuerySet) else len(rows)
    if found > bound:
        return BoundedCount(bound, exact=False)
    return BoundedCount(found, exact=True)


def _page_number(number) -> int | None:
    """The page asked for as Django's Paginator reads it, or None when it is not a page number."""
    try:
        if isinstance(number, float) and not number.is_integer():
            return None
        return int(number)
    except (TypeError, ValueError):
        return None


class BoundedPaginator(Paginator):
    """A `Paginator` whose count stops at a bound, with working previous and next links above it.

    The count looks as far as the bound, or as far as the end of the page asked for if that is further
    (a deep page already costs reading its offset), plus one row: so it always knows whether the page
    asked for exists and whether a next one follows. When it stopped early, `count_exact` is False,
    `count` is the rows counted (one more than it looked for, so `num_pages` includes the next page),
    and `pages_more_than` is a number of pages there are certainly more than, for the page label.
    """

    def __init__(self, object_list, per_page, *args, bound: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.bound = COUNT_BOUND if bound is None else bound
        self._horizon = max(self.bound, int(self.per_page))  # at least the first page, whatever the bound

    def _look_as_far_as(self, number) -> None:
        """Before counting, widen the count to reach the end of page `number` (and one row beyond)."""
        wanted = _page_number(number)
        if wanted is not None and wanted > 1 and "count" not in self.__dict__:
            self._horizon = min(max(self.bound, wanted * int(self.per_page)), _MAX_HORIZON)

    def get_page(self, number):
        self._look_as_far_as(number)
        return super().get_page(number)

    def page(self, number):
        self._look_as_far_as(number)
        return super().page(number)

    @cached_property
    def _counted(self) -> BoundedCount:
        return bounded_count(self.object_list, self._horizon)

    @cached_property
    def count(self) -> int:
        counted = self._counted
        return counted.value if counted.exact else counted.value + 1

    @property
    def count_exact(self) -> bool:
        return self._counted.exact

    @property
    def pages_more_than(self) -> int | None:
        """None when the count is exact; otherwise a number of pages there are certainly more than."""
        if self.count_exact:
            return None
        return math.floor(self._counted.value / int(self.per_page))

    @property
    def count_text(self) -> str:
        """The number of rows as a page shows it: "1,234" or "more than 10,000"."""
        return str(self._counted)
