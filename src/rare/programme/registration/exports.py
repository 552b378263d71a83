"""The team's exports of a camp's registration list: CSV streamed row by row, XLSX written to a temporary file.

Neither form holds the whole list in memory: rows come from the database in chunks. Cells that a
spreadsheet would read as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from rare.programme.models import Camp, Registration

CHUNK = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Country"),
        _("Status"),
        _("Arrival"),
        _("Departure"),
        _("Needs accommodation"),
        _("Travel needs"),
        _("Accommodation needs"),
        _("Dietary needs"),
        _("Access needs"),
        _("Registered at"),
    ]


def safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def row_of(registration: Registration) -> list[str]:
    person = registration.person
    return [
        safe(person.name),
        safe(person.user.email if person.user else ""),
        safe(person.organisation.name if person.organisation else ""),
        safe(person.country.name if person.country else ""),
        safe(registration.get_status_display()),
        registration.arrives_on.isoformat() if registration.arrives_on else "",
        registration.departs_on.isoformat() if registration.departs_on else "",
        _("yes") if registration.needs_accommodation else _("no"),
        safe(registration.travel_needs),
        safe(registration.accommodation_needs),
        safe(registration.dietary_needs),
        safe(registration.access_needs),
        registration.created_at.strftime("%Y-%m-%d %H:%M"),
    ]


def rows(registrations: QuerySet[Registration]) -> Iterator[list[str]]:
    yield header()
    for registration in registrations.iterator(chunk_size=CHUNK):
        yield row_of(registration)


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def filename(camp: Camp, extension: str) -> str:
    return f"registrations-{camp.slug}.{extension}"


def csv_response(camp: Camp, registrations: QuerySet[Registration]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    language = translation.get_language()

    def lines() -> Iterator[str]:
        # The body is produced after the view has returned: keep the language the request asked for.
        with translation.override(language):
            yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
            for row in rows(registrations):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(camp, "csv")}"'
    return response


def xlsx_response(camp: Camp, registrations: QuerySet[Registration]) -> FileResponse:
    """Write the sheet row by row (openpyxl's write-only mode) into an unnamed temporary file and send it.

    The temporary file has no name on disk and disappears when the response closes it.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Registrations")[:31])
    for row in rows(registrations):
        sheet.append(row)
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    try:
        workbook.save(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename(camp, "xlsx"), content_type=XLSX_TYPE)
