"""Writes of targeted messages: drafting, and sending to the segment as it stands."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rare.core import notifications
from rare.core.audit import record
from rare.reports import queries
from rare.reports.models import ExportJob, FunderReport, Message, Recipient

PRINT_CSS = Path(__file__).with_name("print.css")

SEGMENT_FIELDS = ("programme", "roles", "countries", "working_group", "camp", "registration_statuses")


@transaction.atomic
def save_draft(*, author, message: Message | None = None, request=None, **fields) -> Message:
    """Create a draft, or change one that has not been sent."""
    if message is None:
        message = Message(created_by=author)
    elif message.status != Message.Status.DRAFT:
        raise ValidationError(_("A sent message cannot be changed."), code="sent")
    for name, value in fields.items():
        setattr(message, name, value)
    if message.camp_id is None:
        message.registration_statuses = []
    message.full_clean()
    created = message.pk is None
    message.save()
    record("message.drafted" if created else "message.changed", actor=author, request=request, target=message)
    return message


@transaction.atomic
def send_message(*, message: Message, sender, request=None) -> Message:
    """Address the message to the segment as it stands now and hand it to the notifications.

    Whoever may not see the working group the segment names is left out: nobody is messaged about
    what they may not see. Sending twice is refused; the fan-out itself is exactly-once per member.
    """
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Message.Status.DRAFT:
        raise ValidationError(_("This message has been sent already."), code="sent")
    ids = list(queries.segment_users(message).values_list("pk", flat=True))
    if message.working_group_id is not None:
        users = notifications.load_users(ids)
        ids = [user.pk for user in notifications.audience(message.working_group, users)]
    if not ids:
        raise ValidationError(_("Nobody is in this segment: change it before sending."), code="empty")
    Recipient.objects.bulk_create([Recipient(message=message, user_id=pk) for pk in ids], batch_size=1000)
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.recipient_count = len(ids)
    message.save(update_fields=["status", "sent_at", "recipient_count"])
    notifications.notify(kind="message.sent", target=message, recipients=ids, dedupe_key=queries.dedupe_key(message))
    record("message.sent", actor=sender, request=request, target=message, recipients=len(ids))
    return message


# -- Funder reports ----------------------------------------------------------------------------------


@transaction.atomic
def request_funder_report(*, programme, starts_on, ends_on, requester, request=None) -> FunderReport:
    """Queue a funder report; it is built in the background (see `build_funder_report`)."""
    if ends_on < starts_on:
        raise ValidationError(_("The period ends before it starts."), code="period")
    report = FunderReport.objects.create(
        programme=programme, starts_on=starts_on, ends_on=ends_on, requested_by=requester
    )
    record("report.requested", actor=requester, request=request, target=report)
    from rare.reports.tasks import build_funder_report_task

    report_id = report.pk
    transaction.on_commit(lambda: build_funder_report_task.enqueue(report_id=report_id))
    return report


def _progress(report: FunderReport, percent: int, step: str) -> None:
    FunderReport.objects.filter(pk=report.pk).update(progress=percent, step=step)


def build_funder_report(report_id: int) -> FunderReport | None:
    """Count the figures, draw the charts, render the PDF and store it encrypted, showing progress.

    Run again on a report that is done, it does nothing; on one that failed or stopped halfway, it
    starts over. A failure is recorded on the report and in the audit trail."""
    from rare.core.pdf import render_pdf
    from rare.reports import charts

    report = FunderReport.objects.select_related("programme", "requested_by").filter(pk=report_id).first()
    if report is None or report.status == FunderReport.Status.DONE:
        return report
    FunderReport.objects.filter(pk=report.pk).update(status=FunderReport.Status.RUNNING, progress=5)
    try:
        with translation.override(notifications.language_of(report.requested_by)):
            period = queries.Period(report.starts_on, report.ends_on)
            _progress(report, 15, "capacity")
            capacity = queries.capacity_figures(report.programme, period)
            _progress(report, 40, "alliance")
            alliance = queries.alliance_figures(report.requested_by, period)
            _progress(report, 60, "quarters")
            quarters = queries.quarterly(report.programme, report.requested_by, period)
            figures = queries.KeyFigures(report.programme, period, capacity, alliance, quarters)
            _progress(report, 75, "pdf")
            pdf = render_pdf(
                "reports/funder_report_pdf.html",
                {"figures": figures, "charts": charts.charts_of(figures), "generated_at": timezone.now()},
                stylesheets=[PRINT_CSS],
                with_charts=True,
            )
        report.file.save(report.filename, ContentFile(pdf), save=False)
        FunderReport.objects.filter(pk=report.pk).update(
            status=FunderReport.Status.DONE, progress=100, step="", file=report.file.name, finished_at=timezone.now()
        )
        record("report.generated", actor=report.requested_by, target=report, size=len(pdf))
    except Exception:
        FunderReport.objects.filter(pk=report.pk).update(status=FunderReport.Status.FAILED, finished_at=timezone.now())
        record("report.failed", actor=report.requested_by, target=report, outcome="failed")
        raise
    report.refresh_from_db()
    return report


# -- Exports in the background ----------------------------------------------------------------------------


@transaction.atomic
def request_export(*, name: str, requester, request=None) -> ExportJob:
    from rare.reports.exports import EXPORTS
    from rare.reports.tasks import build_export_task

    spec = EXPORTS[name]
    job = ExportJob.objects.create(name=name, requested_by=requester, total=spec.count(requester))
    record("export.requested", actor=requester, request=request, target=job, list=name, rows=job.total)
    job_id = job.pk
    transaction.on_commit(lambda: build_export_task.enqueue(job_id=job_id))
    return job


def build_export(job_id: int) -> ExportJob | None:
    """Write the list row by row to an unnamed temporary XLSX file, noting progress every chunk, then
    store it encrypted. Done jobs are left alone; a job stopped halfway starts over."""
    import tempfile

    from openpyxl import Workbook

    from rare.reports.exports import CHUNK, EXPORTS

    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return job
    spec = EXPORTS[job.name]
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=0)
    try:
        with translation.override(notifications.language_of(job.requested_by)), tempfile.TemporaryFile() as spool:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(title=str(spec.label)[:31])
            sheet.append(spec.header())
            for written, row in enumerate(spec.rows(job.requested_by, with_header=False), start=1):
                sheet.append(row)
                if written % CHUNK == 0:
                    ExportJob.objects.filter(pk=job.pk).update(done=written)
            workbook.save(spool)
            spool.seek(0)
            job.file.save(job.filename, File(spool), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, done=job.total, file=job.file.name, finished_at=timezone.now()
        )
        record("export.prepared", actor=job.requested_by, target=job, list=job.name)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())
        record("export.failed", actor=job.requested_by, target=job, outcome="failed", list=job.name)
        raise
    job.refresh_from_db()
    return job
