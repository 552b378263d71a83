"""The team's exports of a camp's registration list (CSV and XLSX, through `rare.core.exports`).

Neither form holds the whole list in memory: rows come from the database in chunks. Cells that a
spreadsheet would read as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from rare.core import exports
from rare.core.exports import spreadsheet_safe, stream_csv
from rare.programme.models import Camp, Registration

CHUNK = 500


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


def row_of(registration: Registration) -> list[str]:
    person = registration.person
    return [
        spreadsheet_safe(person.name),
        spreadsheet_safe(person.user.email if person.user else ""),
        spreadsheet_safe(person.organisation.name if person.organisation else ""),
        spreadsheet_safe(person.country.name if person.country else ""),
        spreadsheet_safe(registration.get_status_display()),
        registration.arrives_on.isoformat() if registration.arrives_on else "",
        registration.departs_on.isoformat() if registration.departs_on else "",
        _("yes") if registration.needs_accommodation else _("no"),
        spreadsheet_safe(registration.travel_needs),
        spreadsheet_safe(registration.accommodation_needs),
        spreadsheet_safe(registration.dietary_needs),
        spreadsheet_safe(registration.access_needs),
        registration.created_at.strftime("%Y-%m-%d %H:%M"),
    ]


def rows(registrations: QuerySet[Registration]) -> Iterator[list[str]]:
    yield header()
    for registration in registrations.iterator(chunk_size=CHUNK):
        yield row_of(registration)


def filename(camp: Camp, extension: str) -> str:
    return f"registrations-{camp.slug}.{extension}"


def csv_response(camp: Camp, registrations: QuerySet[Registration]) -> StreamingHttpResponse:
    return stream_csv(rows(registrations), filename=filename(camp, "csv"), byte_order_mark=True)


def xlsx_response(camp: Camp, registrations: QuerySet[Registration]) -> FileResponse:
    return exports.xlsx_response(rows(registrations), filename=filename(camp, "xlsx"), sheet_title=_("Registrations"))
