"""What every export shares: cells a spreadsheet will not run, CSV streamed row by row, and XLSX
written row by row to an unnamed temporary file.

Neither form holds the whole list in memory when its rows come from `QuerySet.iterator()`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from functools import lru_cache

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def choice_label(choices, value) -> str:
    """The label of `value` among `choices` (a model's TextChoices) in the active language.

    What `get_FOO_display()` gives, but looked up in a table made once per language: that method
    builds and hashes its table of lazy labels on every call, which made it most of the time of
    exporting a long list."""
    return _choice_labels(choices, translation.get_language()).get(value, value or "")


@lru_cache(maxsize=512)
def _choice_labels(choices, language: str | None) -> dict:
    return {value: str(label) for value, label in choices.choices}


def country_name(country) -> str:
    """The name of a django-countries `Country` in the active language, looked up once per language."""
    return _country_name(country.code, translation.get_language()) if country else ""


@lru_cache(maxsize=2048)
def _country_name(code: str, language: str | None) -> str:
    from django_countries import countries

    return str(countries.name(code)) if code else ""


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


def xlsx_response(rows: Iterable[list], *, filename: str, sheet_title: str) -> FileResponse:
    """An XLSX download written row by row (openpyxl's write-only mode) into an unnamed temporary file.

    The file has no name on disk and disappears when the response closes it. Cells should already have
    been through `spreadsheet_safe`.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    for row in rows:
        sheet.append(row)
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    try:
        workbook.save(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
