"""Alert pages. Visibility decides what appears; an alert one may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from rare.core import audit
from rare.core.crypto import attachment_response
from rare.core.formatting import duration_text
from rare.core.paging import BoundedPaginator
from rare.core.permissions import by_visibility, permission_required_or_404
from rare.core.visibility import get_visible_or_404
from rare.programme.rules import is_duty_officer, is_member, is_team
from rare.solidarity import queries, services
from rare.solidarity.forms import (
    EvidenceForm,
    PledgeDoneForm,
    PledgeForm,
    ReportForm,
    TransitionForm,
    UpdateForm,
    VerifyForm,
)
from rare.solidarity.models import Alert, Pledge
from rare.solidarity.rules import (
    can_add_evidence,
    can_pledge,
    can_see_pledges,
    may_change_pledge,
    may_read_details,
)


@by_visibility
@require_safe
def alert_list(request):
    country = request.GET.get("country", "")
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    country = country if country in countries else ""
    category = category if category in Alert.Category.values else ""
    status = status if status in Alert.Status.values else ""
    alerts = queries.alert_list(request.user, country=country, category=category, status=status)
    page = BoundedPaginator(alerts, queries.ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "countries": countries,
        "categories": Alert.Category.choices,
        "statuses": Alert.Status.choices,
        "selected": {"country": country, "category": category, "status": status},
        "can_report": bool(is_member(request.user)),
        "officer": bool(is_duty_officer(request.user)),
        "team": bool(is_team(request.user)),
    }
    return render(request, "solidarity/alert_list.html", context)


def _pledge_rows(request, alert: Alert, done_forms: dict | None = None) -> list[dict]:
    """Who does what: each pledge with whether this viewer may change it (and its form)."""
    rows = []
    done_forms = done_forms or {}
    for pledge in alert.pledge_list:
        pledge.alert = alert  # already loaded: the rule needs it, not another query
        changeable = pledge.status == Pledge.Status.PLEDGED and may_change_pledge(request.user, pledge)
        form = done_forms.get(pledge.pk) or (PledgeDoneForm(prefix=f"done-{pledge.pk}") if changeable else None)
        rows.append({"pledge": pledge, "changeable": changeable, "done_form": form})
    return rows


def _detail_context(request, alert: Alert, **extra) -> dict:
    officer = bool(is_duty_officer(request.user))
    show_details = may_read_details(request.user, alert)
    show_pledges = can_see_pledges(request.user, alert)
    may_pledge = can_pledge(request.user, alert)
    live = [p for p in alert.pledge_list if p.status != Pledge.Status.WITHDRAWN]
    return {
        "alert": alert,
        "show_details": show_details,
        "show_pledges": show_pledges,
        "pledges": _pledge_rows(request, alert, extra.pop("done_forms", None)) if show_pledges else [],
        "pledge_counts": {
            "live": len(live),
            "done": sum(1 for p in live if p.status == Pledge.Status.DONE),
        },
        "pledge_form": extra.pop("pledge_form", None) or (PledgeForm() if may_pledge else None),
        "pledge_organisation": getattr(getattr(request.user, "person", None), "organisation", None)
        if may_pledge
        else None,
        "evidence_files": alert.evidence_list if show_details else [],
        "evidence_form": extra.pop("evidence_form", None)
        or (EvidenceForm() if show_details and can_add_evidence(request.user, alert) else None),
        "timeline": [u for u in alert.timeline if show_details or u.is_public],
        "officer": officer,
        "next_statuses": [(s, Alert.Status(s).label) for s in alert.allowed_next()] if officer else [],
        "verify_form": extra.pop("verify_form", None)
        or (VerifyForm(alert=alert) if officer and alert.status == Alert.Status.REPORTED else None),
        "update_form": extra.pop("update_form", None) or (UpdateForm() if officer else None),
        **extra,
    }


def _load(request, pk: int) -> Alert:
    """The alert with what its page shows, or 404. Kept on the request, so that a permission check and
    the view open (and audit) it once."""
    cached = getattr(request, "_rare_alert", None)
    if cached is not None and cached.pk == pk:
        return cached
    alert = get_visible_or_404(queries.alert_for_detail(request.user), request.user, request=request, pk=pk)
    request._rare_alert = alert
    return alert


@by_visibility
@require_safe
def alert_detail(request, pk: int):
    return render(request, "solidarity/alert_detail.html", _detail_context(request, _load(request, pk)))


@permission_required_or_404("solidarity.report_alert")
@require_http_methods(["GET", "POST"])
def report(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = getattr(request.user, "person", None)
        affected = [person.organisation_id] if person is not None and person.organisation_id else []
        with transaction.atomic():
            alert = services.report_alert(
                reporter=request.user,
                request=request,
                affected_organisations=affected,
                **{k: data[k] for k in ReportForm.Meta.fields},
            )
            upload = data.get("evidence_file")
            if upload:
                content, content_type = upload.checked
                services.add_evidence(
                    alert=alert,
                    actor=request.user,
                    data=content,
                    filename=upload.name,
                    content_type=content_type,
                    request=request,
                )
        messages.success(request, _("Thank you. Duty officers have your report and will verify it."))
        return redirect(alert)
    return render(request, "solidarity/report.html", {"form": form})


@permission_required_or_404("solidarity.verify_alert")
@require_safe
def queue(request):
    alerts = Paginator(queries.verification_queue(request.user), queries.ALERTS_PER_PAGE)
    return render(request, "solidarity/queue.html", {"page_obj": alerts.get_page(request.GET.get("page"))})


@permission_required_or_404("solidarity.verify_alert")
@require_POST
def verify(request, pk: int):
    alert = _load(request, pk)
    form = VerifyForm(request.POST, alert=alert)
    if form.is_valid():
        try:
            services.verify_alert(
                alert=alert,
                officer=request.user,
                reasons=form.cleaned_data["reasons"],
                checked_sources=form.cleaned_data["checked_sources"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The alert is verified."))
            return redirect(alert)
    return render(
        request, "solidarity/alert_detail.html", _detail_context(request, alert, verify_form=form), status=400
    )


_MOVES = {
    Alert.Status.ACTIVE: services.activate_alert,
    Alert.Status.RESOLVED: services.resolve_alert,
    Alert.Status.CLOSED: services.close_alert,
}


@permission_required_or_404("solidarity.verify_alert")
@require_POST
def transition(request, pk: int):
    alert = _load(request, pk)
    form = TransitionForm(request.POST)
    move = _MOVES.get(form.data.get("to")) if form.is_valid() else None
    try:
        if move is None:
            raise ValidationError(_("An alert cannot move from this status to that one."))
        move(alert=alert, officer=request.user, request=request)
    except ValidationError:
        messages.error(request, _("An alert cannot move from this status to that one."))
    else:
        messages.success(request, _("The status has changed."))
    return redirect(alert)


@permission_required_or_404("solidarity.verify_alert")
@require_POST
def add_update(request, pk: int):
    alert = _load(request, pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return render(
            request, "solidarity/alert_detail.html", _detail_context(request, alert, update_form=form), status=400
        )
    services.add_update(alert=alert, author=request.user, request=request, **form.cleaned_data)
    return redirect(alert)


# --- Evidence files --------------------------------------------------------------------------------


def _visible_alert(request, pk: int, **kwargs) -> Alert:
    return _load(request, pk)


@permission_required_or_404("solidarity.add_evidence", fn=_visible_alert)
@require_POST
def evidence_add(request, pk: int):
    alert = _load(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "solidarity/alert_detail.html", _detail_context(request, alert, evidence_form=form), status=400
        )
    upload = form.cleaned_data["file"]
    content, content_type = upload.checked
    services.add_evidence(
        alert=alert,
        actor=request.user,
        data=content,
        filename=upload.name,
        content_type=content_type,
        description=form.cleaned_data["description"],
        request=request,
    )
    messages.success(request, _("The evidence file was added. It is stored encrypted."))
    return redirect(reverse("solidarity:detail", args=[alert.pk]) + "#evidence")


@permission_required_or_404("solidarity.read_details", fn=_visible_alert)
@require_safe
def evidence_download(request, pk: int, evidence_id: int):
    alert = _load(request, pk)
    evidence = alert.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    audit.record("alert.evidence_downloaded", actor=request.user, request=request, target=alert, evidence=evidence.pk)
    return attachment_response(evidence.file.storage, evidence.file.name, filename=evidence.filename)


# --- Response pledges ------------------------------------------------------------------------------


@permission_required_or_404("solidarity.pledge", fn=_visible_alert)
@require_POST
def pledge(request, pk: int):
    alert = _load(request, pk)
    form = PledgeForm(request.POST)
    if form.is_valid():
        person = getattr(request.user, "person", None)
        try:
            services.pledge_response(
                alert=alert,
                organisation=person.organisation if person else None,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your pledge is listed on the alert."))
            return redirect(reverse("solidarity:detail", args=[alert.pk]) + "#responses")
    return render(
        request, "solidarity/alert_detail.html", _detail_context(request, alert, pledge_form=form), status=400
    )


def _visible_pledge(request, pk: int, pledge_id: int) -> Pledge:
    alert = _load(request, pk)
    try:
        found = queries.pledge_of_alert(alert, pledge_id)
    except Pledge.DoesNotExist:
        raise Http404 from None
    found.alert = alert
    return found


@permission_required_or_404("solidarity.change_pledge", fn=_visible_pledge)
@require_POST
def pledge_done(request, pk: int, pledge_id: int):
    found = _visible_pledge(request, pk, pledge_id)
    form = PledgeDoneForm(request.POST, request.FILES, prefix=f"done-{found.pk}")
    if form.is_valid():
        upload = form.cleaned_data.get("evidence_file")
        content, content_type = upload.checked if upload else (None, "")
        try:
            services.mark_pledge_done(
                pledge=found,
                actor=request.user,
                evidence=form.cleaned_data["evidence"],
                data=content,
                filename=upload.name if upload else "",
                content_type=content_type,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The response is marked done. Thank you."))
            return redirect(reverse("solidarity:detail", args=[pk]) + "#responses")
    alert = _load(request, pk)
    context = _detail_context(request, alert, done_forms={found.pk: form})
    return render(request, "solidarity/alert_detail.html", context, status=400)


@permission_required_or_404("solidarity.change_pledge", fn=_visible_pledge)
@require_POST
def pledge_withdraw(request, pk: int, pledge_id: int):
    found = _visible_pledge(request, pk, pledge_id)
    try:
        services.withdraw_pledge(pledge=found, actor=request.user, request=request)
    except ValidationError:
        messages.error(request, _("Only a pledged response can be withdrawn."))
    else:
        messages.success(request, _("The pledge is withdrawn."))
    return redirect(reverse("solidarity:detail", args=[pk]) + "#responses")


def _pledge_with_evidence(request, pk: int, pledge_id: int) -> Pledge:
    found = _visible_pledge(request, pk, pledge_id)
    if not can_see_pledges(request.user, found.alert) or not found.evidence_file:
        raise Http404
    return found


@by_visibility
@require_safe
def pledge_evidence(request, pk: int, pledge_id: int):
    found = _pledge_with_evidence(request, pk, pledge_id)
    audit.record("pledge.evidence_downloaded", actor=request.user, request=request, target=found.alert, pledge=found.pk)
    return attachment_response(
        found.evidence_file.storage, found.evidence_file.name, filename=found.evidence_filename or None
    )


# --- Coverage ---------------------------------------------------------------------------------------


@permission_required_or_404("solidarity.view_coverage")
@require_safe
def coverage(request):
    page = BoundedPaginator(queries.coverage(request.user), queries.ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    for alert in page:
        first = alert.first_pledge_at
        alert.time_to_first_text = duration_text(first - alert.created_at) if first else ""
    summary = queries.coverage_summary(request.user)
    context = {
        "page_obj": page,
        "summary": summary,
        "median_text": duration_text(summary.median_to_first) if summary.median_to_first is not None else "",
        "few": queries.FEW_PLEDGES,
    }
    return render(request, "solidarity/coverage.html", context)


class AlertFeed(Feed):
    rare_access = "public"
    feed_type = Atom1Feed
    title = gettext_lazy("RARE alerts")
    subtitle = gettext_lazy("Verified attacks on civic organisations and human rights defenders")

    def link(self) -> str:
        return reverse("solidarity:list")

    def items(self) -> list[Alert]:
        return queries.published_alerts()

    def item_title(self, item: Alert) -> str:
        return item.title

    def item_description(self, item: Alert) -> str:
        return item.summary

    def item_pubdate(self, item: Alert):
        return item.verified_at

    def item_updateddate(self, item: Alert):
        return item.updated_at

    def item_categories(self, item: Alert):
        return [str(item.get_category_display())]
