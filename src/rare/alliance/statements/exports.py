"""The signatories of a statement as CSV (streamed) and XLSX (openpyxl, write-only)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from rare.alliance.statements import queries
from rare.alliance.statements.models import Statement
from rare.core.exports import spreadsheet_safe, stream_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [_("Organisation"), _("Country"), _("Signed by"), _("Version signed"), _("Signed at")]


def rows(statement: Statement) -> Iterator[list[str]]:
    for signature in queries.signatures_of(statement).iterator(chunk_size=500):
        yield [
            spreadsheet_safe(signature.organisation.name),
            spreadsheet_safe(signature.organisation.country.code),
            spreadsheet_safe(signature.signed_by.name if signature.signed_by else ""),
            str(signature.version.number),
            timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M"),
        ]


def as_csv(statement: Statement):
    def everything():
        yield header()
        yield from rows(statement)

    return stream_csv(everything(), filename=f"{statement.slug}-signatories.csv", byte_order_mark=True)


def as_xlsx(statement: Statement) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Signatories")[:31])
    sheet.append(header())
    for row in rows(statement):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{statement.slug}-signatories.xlsx"'
    return response
