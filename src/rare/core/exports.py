"""What every export shares: cells a spreadsheet will not run, and CSV streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import translation

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The value as text, with an apostrophe in front if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[list], *, filename: str, byte_order_mark: bool = False) -> StreamingHttpResponse:
    """A CSV download produced row by row, so that its size never sits in memory.

    The rows are produced after the view has returned: they keep the language the request asked for.
    A byte-order mark helps spreadsheet programs read UTF-8; machine-read files go without it.
    """
    writer = csv.writer(_Echo())
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            if byte_order_mark:
                yield "\ufeff"
            for row in rows:
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
