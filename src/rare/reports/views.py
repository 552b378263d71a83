"""The team's targeted messages: write to a segment, preview who gets it, send, watch the emails go."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rare.core.audit import record
from rare.core.crypto import attachment_response
from rare.core.exports import stream_csv, xlsx_response
from rare.core.permissions import by_visibility, permission_required_or_404
from rare.core.visibility import get_visible_or_404
from rare.programme.models import Programme
from rare.programme.rules import is_team
from rare.reports import charts, queries, services
from rare.reports.exports import DIRECT_XLSX_ROWS, EXPORTS
from rare.reports.forms import MessageForm, PeriodForm, SendForm
from rare.reports.models import ExportJob, FunderReport, Message


@permission_required_or_404("reports.send_message")
@require_safe
def message_list(request):
    page = Paginator(queries.message_list(request.user), queries.MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/message_list.html", {"page_obj": page})


def _draft_of(request, pk: int) -> Message:
    return get_visible_or_404(Message.objects.all(), request.user, request=request, pk=pk)


@permission_required_or_404("reports.send_message")
@require_http_methods(["GET", "POST"])
def message_edit(request, pk: int | None = None):
    message = _draft_of(request, pk) if pk is not None else None
    if message is not None and message.status != Message.Status.DRAFT:
        return redirect(message)
    form = MessageForm(request.POST or None, instance=message, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.save_draft(author=request.user, message=message, request=request, **form.segment())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(message)
    return render(request, "reports/message_form.html", {"form": form, "message": message})


@by_visibility
@require_safe
def message_detail(request, pk: int):
    message = get_visible_or_404(
        Message.objects.select_related("programme", "working_group", "camp"), request.user, request=request, pk=pk
    )
    context = {"message": message, "team": bool(is_team(request.user))}
    if context["team"]:
        if message.status == Message.Status.DRAFT:
            context["count"], context["sample"] = queries.preview(message)
            context["send_form"] = SendForm()
        else:
            context["status"] = queries.delivery_status(message)
    return render(request, "reports/message_detail.html", context)


@permission_required_or_404("reports.send_message")
@require_POST
def message_send(request, pk: int):
    message = _draft_of(request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Tick the box to confirm who will receive this message."))
        return redirect(message)
    try:
        message = services.send_message(message=message, sender=request.user, request=request)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
        return redirect(message)
    flash.success(request, _("The message is on its way to %(count)d members.") % {"count": message.recipient_count})
    return redirect(message)


# -- Key figures and funder reports -------------------------------------------------------------------


@permission_required_or_404("reports.view_key_figures")
@require_safe
def key_figures(request):
    latest = Programme.objects.order_by("-starts_on").first()
    form = PeriodForm(request.GET or ({"programme": latest.pk} if latest else None))
    context = {"form": form, "reports": queries.funder_reports_of(request.user)}
    if form.is_valid():
        data = form.cleaned_data
        figures = queries.key_figures(
            data["programme"], request.user, queries.Period(data["starts_on"], data["ends_on"])
        )
        context.update(figures=figures, charts=charts.charts_of(figures))
    return render(request, "reports/key_figures.html", context)


@permission_required_or_404("reports.view_key_figures")
@require_POST
def funder_report_request(request):
    form = PeriodForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Choose a programme and a valid period."))
        return redirect("reports:key_figures")
    data = form.cleaned_data
    report = services.request_funder_report(
        programme=data["programme"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        requester=request.user,
        request=request,
    )
    return redirect(report)


def _report(request, pk: int) -> FunderReport:
    return FunderReport.objects.select_related("programme").get(pk=pk)


@permission_required_or_404("reports.open_funder_report", fn=_report)
@require_safe
def funder_report(request, pk: int):
    report = _report(request, pk)
    template = "reports/partials/report_status.html" if request.htmx else "reports/funder_report.html"
    return render(request, template, {"report": report})


@permission_required_or_404("reports.open_funder_report", fn=_report)
@require_safe
def funder_report_download(request, pk: int):
    report = _report(request, pk)
    if report.status != FunderReport.Status.DONE or not report.file:
        raise Http404
    record("report.downloaded", request=request, target=report)
    return attachment_response(report.file.storage, report.file.name, filename=report.filename)


# -- Exports -------------------------------------------------------------------------------------------


def _spec(name: str):
    spec = EXPORTS.get(name)
    if spec is None:
        raise Http404
    return spec


@permission_required_or_404("reports.export_lists")
@require_safe
def export_list(request):
    # Counted only as far as the one number that changes what a download does (a spreadsheet at once or
    # prepared in the background): "more than 5,000" costs the same for a list of any length.
    specs = [(spec, spec.bounded_count(request.user, bound=DIRECT_XLSX_ROWS)) for spec in EXPORTS.values()]
    jobs = queries.export_jobs_of(request.user)
    return render(
        request,
        "reports/exports.html",
        {"specs": specs, "jobs": jobs, "direct_rows": DIRECT_XLSX_ROWS},
    )


@permission_required_or_404("reports.export_lists")
@require_safe
def export_csv(request, name: str):
    spec = _spec(name)
    record("export.downloaded", request=request, list=name, format="csv")
    return stream_csv(spec.rows(request.user), filename=f"{name}.csv", byte_order_mark=True)


@permission_required_or_404("reports.export_lists")
@require_http_methods(["GET", "POST"])
def export_xlsx(request, name: str):
    spec = _spec(name)
    if request.method == "POST":
        job = services.request_export(name=name, requester=request.user, request=request)
        return redirect(job)
    if not spec.bounded_count(request.user, bound=DIRECT_XLSX_ROWS).exact:
        return render(request, "reports/export_prepare.html", {"spec": spec, "direct_rows": DIRECT_XLSX_ROWS})
    record("export.downloaded", request=request, list=name, format="xlsx")
    return xlsx_response(spec.rows(request.user), filename=f"{name}.xlsx", sheet_title=spec.label)


def _job(request, pk: int) -> ExportJob:
    return ExportJob.objects.get(pk=pk)


@permission_required_or_404("reports.open_export", fn=_job)
@require_safe
def export_job(request, pk: int):
    job = _job(request, pk)
    template = "reports/partials/export_status.html" if request.htmx else "reports/export_job.html"
    return render(request, template, {"job": job, "spec": EXPORTS.get(job.name)})


@permission_required_or_404("reports.open_export", fn=_job)
@require_safe
def export_job_download(request, pk: int):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    record("export.downloaded", request=request, target=job, list=job.name, format="xlsx")
    return attachment_response(job.file.storage, job.file.name, filename=job.filename)
