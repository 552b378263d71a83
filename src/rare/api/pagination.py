"""Limit and offset pagination: at most MAX_LIMIT records a page, the total count alongside."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class Page(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Records per page, 1 to {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many records to skip.")

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        offset, limit = pagination.offset, pagination.limit
        return {
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
            "items": list(queryset[offset : offset + limit]),
        }
