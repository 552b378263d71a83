"""Limit and offset pagination: at most MAX_LIMIT records a page, with a count that stops at a bound.

`count` is exact up to COUNT_BOUND (1,000) records and null above it (`count_exact` false): counting
further would read every visible row of the table on every request, and a program walking a list needs
`has_more`, which says whether records follow the page, not the total. (The pages count further, up to
`rare.core.paging.COUNT_BOUND`, for the people reading "page 3 of 40".)
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

from rare.core.paging import bounded_count

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
COUNT_BOUND = 1_000


class Page(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Records per page, 1 to {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many records to skip.")

    class Output(Schema):
        count: int | None = Field(
            ...,
            description=(
                f"How many records match, exact up to {COUNT_BOUND:,}; null when more than {COUNT_BOUND:,} match "
                "(then `count_exact` is false: page on with `offset` while `has_more` is true)."
            ),
        )
        count_exact: bool = Field(
            ..., description=f"True when `count` is the exact number; false when more than {COUNT_BOUND:,} match."
        )
        has_more: bool = Field(..., description="True when records follow this page (ask again with offset + limit).")
        limit: int
        offset: int
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        """One record more than the page is read to know whether another follows; the count is bounded,
        and skipped when the first page already holds every record."""
        offset, limit = pagination.offset, pagination.limit
        items = list(queryset[offset : offset + limit + 1])
        has_more = len(items) > limit
        items = items[:limit]
        counted = bounded_count(items if offset == 0 and not has_more else queryset, COUNT_BOUND)
        return {
            "count": counted.value if counted.exact else None,
            "count_exact": counted.exact,
            "has_more": has_more,
            "limit": limit,
            "offset": offset,
            "items": items,
        }
