"""The action plan for the steering group: CSV and XLSX (row by row) and a PDF (WeasyPrint).

The PDF is rendered from our own template and print stylesheet by `rare.core.pdf`, which fetches
nothing, so a stray remote reference can neither leak nor slow the export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from rare.alliance.plan.models import Action
from rare.core import exports
from rare.core.exports import spreadsheet_safe, stream_csv
from rare.core.pdf import render_pdf

CHUNK = 500
PRINT_CSS = Path(__file__).with_name("print.css")


def header() -> list[str]:
    return [
        _("Priority issue"),
        _("Objective"),
        _("Action"),
        _("Owner organisations"),
        _("Working group"),
        _("Due date"),
        _("Status"),
        _("Progress (%)"),
        _("Late"),
    ]


def row_of(action: Action, today: dt.date) -> list:
    objective = action.objective
    return [
        spreadsheet_safe(objective.priority.title),
        spreadsheet_safe(objective.title),
        spreadsheet_safe(action.title),
        spreadsheet_safe(", ".join(o.name for o in action.owner_list)),
        spreadsheet_safe(action.working_group.name if action.working_group else ""),
        action.due_date.isoformat() if action.due_date else "",
        spreadsheet_safe(action.get_status_display()),
        action.progress,
        _("yes") if action.is_late_on(today) else _("no"),
    ]


def rows(actions: QuerySet[Action]) -> Iterator[list]:
    today = timezone.localdate()
    yield header()
    # Prefetching works per chunk with iterator(chunk_size=...), so owners cost one query per chunk.
    for action in actions.iterator(chunk_size=CHUNK):
        yield row_of(action, today)


def filename(extension: str) -> str:
    return f"action-plan-{timezone.localdate().isoformat()}.{extension}"


def csv_response(actions: QuerySet[Action]) -> StreamingHttpResponse:
    return stream_csv(rows(actions), filename=filename("csv"), byte_order_mark=True)


def xlsx_response(actions: QuerySet[Action]) -> FileResponse:
    return exports.xlsx_response(rows(actions), filename=filename("xlsx"), sheet_title=_("Action plan"))


def pdf_bytes(actions: QuerySet[Action], *, counts: dict[str, int]) -> bytes:
    context = {
        "actions": list(actions),
        "counts": counts,
        "today": timezone.localdate(),
        "generated_at": timezone.now(),
    }
    return render_pdf("alliance/plan/plan_pdf.html", context, stylesheets=[PRINT_CSS])


def pdf_response(actions: QuerySet[Action], *, counts: dict[str, int]) -> HttpResponse:
    response = HttpResponse(pdf_bytes(actions, counts=counts), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename("pdf")}"'
    return response
