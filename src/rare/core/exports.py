"""What every export shares: cells a spreadsheet will not run, CSV streamed row by row, and XLSX
written row by row to an unnamed temporary file.

Neither form holds the whole list in memory when its rows come from `QuerySet.iterator()`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
