"""Alert pages. Visibility decides what appears; an alert one may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from rare.core.permissions import by_visibility, permission_required_or_404
from rare.core.visibility import get_visible_or_404
from rare.programme.rules import is_duty_officer, is_member
from rare.solidarity import queries, services
from rare.solidarity.forms import ReportForm, TransitionForm, UpdateForm, VerifyForm
from rare.solidarity.models import Alert
from rare.solidarity.rules import may_read_details


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
    page = Paginator(alerts, queries.ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "countries": countries,
        "categories": Alert.Category.choices,
        "statuses": Alert.Status.choices,
        "selected": {"country": country, "category": category, "status": status},
        "can_report": bool(is_member(request.user)),
        "officer": bool(is_duty_officer(request.user)),
    }
    return render(request, "solidarity/alert_list.html", context)


def _detail_context(request, alert: Alert, **extra) -> dict:
    officer = bool(is_duty_officer(request.user))
    show_details = may_read_details(request.user, alert)
    return {
        "alert": alert,
        "show_details": show_details,
        "timeline": [u for u in alert.timeline if show_details or u.is_public],
        "officer": officer,
        "next_statuses": [(s, Alert.Status(s).label) for s in alert.allowed_next()] if officer else [],
        "verify_form": extra.pop("verify_form", None)
        or (VerifyForm(alert=alert) if officer and alert.status == Alert.Status.REPORTED else None),
        "update_form": extra.pop("update_form", None) or (UpdateForm() if officer else None),
        **extra,
    }


def _load(request, pk: int) -> Alert:
    return get_visible_or_404(queries.alert_for_detail(request.user), request.user, request=request, pk=pk)


@by_visibility
@require_safe
def alert_detail(request, pk: int):
    return render(request, "solidarity/alert_detail.html", _detail_context(request, _load(request, pk)))


@permission_required_or_404("solidarity.report_alert")
@require_http_methods(["GET", "POST"])
def report(request):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = getattr(request.user, "person", None)
        affected = [person.organisation_id] if person is not None and person.organisation_id else []
        alert = services.report_alert(
            reporter=request.user,
            request=request,
            affected_organisations=affected,
            **{k: data[k] for k in ReportForm.Meta.fields},
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
