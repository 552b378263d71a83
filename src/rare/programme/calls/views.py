"""Pages of calls for applications: the public call and its form, and the team's review and decisions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from rare.core.audit import client_ip
from rare.core.permissions import permission_required_or_404, public
from rare.programme.calls import queries, services
from rare.programme.calls.forms import (
    NOTIFY,
    ApplicationFilterForm,
    ApplicationForm,
    BulkActionForm,
    DecisionForm,
    ReviewForm,
)
from rare.programme.models import Application, Call
from rare.website.markup import render_markdown

PAGE_SIZE = 25
# Applications one client address may send per hour (every attempt counts, valid or not).
APPLY_LIMIT = 5
APPLY_WINDOW = 60 * 60


def _call_or_404(slug: str) -> Call:
    try:
        return queries.call_by_slug(slug)
    except Call.DoesNotExist:
        raise Http404 from None


def _over_limit(request: HttpRequest) -> bool:
    """Count this attempt against the client's address; True once it has made too many this hour."""
    limit = getattr(settings, "RARE_CALL_APPLY_LIMIT", APPLY_LIMIT)
    address = client_ip(request) or "unknown"
    key = "rare:calls:apply:" + salted_hmac("rare.calls.apply", address, algorithm="sha256").hexdigest()[:32]
    cache.add(key, 0, APPLY_WINDOW)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, APPLY_WINDOW)
        attempts = 1
    return attempts > limit


# --- Public -----------------------------------------------------------------------------------


@public
def call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/calls/call_list.html", {"calls": queries.public_calls()})


@public
@require_http_methods(["GET", "POST"])
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(slug)
    now = timezone.now()
    is_open = services.is_open(call, now)
    form = None
    status = 200
    if is_open:
        if request.method == "POST":
            form = ApplicationForm(request.POST)
            if form.is_trap_filled():
                # Answer as if it worked: software learns nothing from the difference.
                _over_limit(request)
                return redirect("calls:thanks", slug=call.slug)
            if form.is_valid() and _over_limit(request):
                form.add_error(
                    None,
                    _(
                        "We received several applications from your network within the last hour. Please try "
                        "again later, or write to the programme team if several people in your office apply."
                    ),
                )
                status = 429
            elif form.is_valid():
                data = form.cleaned_data
                try:
                    services.submit_application(
                        call=call,
                        name=data["name"],
                        email=data["email"],
                        organisation_name=data["organisation_name"],
                        country=data["country"],
                        role=data["role"],
                        seniority=data["seniority"],
                        track_record=data["track_record"],
                        motivation=data["motivation"],
                        topics=data["topics"],
                        language=translation.get_language() or settings.LANGUAGE_CODE,
                        request=request,
                    )
                except services.CallClosed:
                    return redirect("calls:detail", slug=call.slug)
                return redirect("calls:thanks", slug=call.slug)
            else:
                status = 400
        else:
            form = ApplicationForm()
    elif request.method == "POST":
        status = 410
    return render(
        request,
        "programme/calls/call_detail.html",
        {
            "call": call,
            "description": render_markdown(call.description),
            "is_open": is_open,
            "not_yet_open": now < call.opens_at,
            "form": form,
        },
        status=status,
    )


@public
def call_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "programme/calls/thanks.html", {"call": _call_or_404(slug)})


# --- Programme team ---------------------------------------------------------------------------


def _team_call(request: HttpRequest, slug: str, *args, **kwargs) -> Call:
    return _call_or_404(slug)


@permission_required_or_404("programme.review_applications")
def team_call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programme/calls/team_call_list.html", {"calls": queries.calls_for_team()})


@permission_required_or_404("programme.review_applications", fn=_team_call)
def application_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(slug)
    form = ApplicationFilterForm(request.GET or None, country_codes=queries.countries_applied_from(call))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = queries.applications_for_team(
        call,
        reviewer=request.user,
        status=filters.get("status", ""),
        country=filters.get("country", ""),
        search=filters.get("q", "").strip(),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.status_counts(call)
    return render(
        request,
        "programme/calls/application_list.html",
        {
            "call": call,
            "form": form,
            "bulk_form": BulkActionForm(),
            "page_obj": page,
            "applications": page.object_list,
            "status_counts": [(label, counts[value], value) for value, label in Application.Status.choices],
            "total": sum(counts.values()),
        },
    )


@require_POST
@permission_required_or_404("programme.decide_applications", fn=_team_call)
def application_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call_or_404(slug)
    ids = queries.application_ids(call)
    form = BulkActionForm(request.POST, application_ids=ids)
    # Back to the same filtered page of the list (only ever a page of this list).
    list_url = reverse("calls_team:applications", kwargs={"slug": call.slug})
    back = request.POST.get("next", "")
    if not back.startswith(list_url + "?") or "//" in back:
        back = list_url
    if not form.is_valid():
        messages.error(request, _("Choose an action and at least one application."))
        return redirect(back)
    selected = queries.applications_of(call, form.cleaned_data["applications"])
    action = form.cleaned_data["action"]
    if action == NOTIFY:
        done = services.notify_not_selected(applications=selected, actor=request.user, request=request)
        messages.success(
            request,
            ngettext(
                "%(count)d applicant who was not selected will be emailed.",
                "%(count)d applicants who were not selected will be emailed.",
                len(done),
            )
            % {"count": len(done)},
        )
    else:
        done = services.decide(applications=selected, status=action, actor=request.user, request=request)
        messages.success(
            request,
            ngettext("%(count)d application changed.", "%(count)d applications changed.", len(done))
            % {"count": len(done)},
        )
    return redirect(back)


def _application_of_call(request: HttpRequest, slug: str, pk: int) -> Application:
    """The application (404 if it is not one of this call's)."""
    call = _call_or_404(slug)
    try:
        return queries.application_for_review(call, pk)
    except Application.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@permission_required_or_404("programme.review_applications", fn=_team_call)
def application_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    application = _application_of_call(request, slug, pk)
    reviews = list(application.reviews.all())
    own = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            services.submit_review(
                application=application,
                reviewer=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
            messages.success(request, _("Your score is saved."))
            return redirect("calls_team:application", slug=slug, pk=pk)
    else:
        initial = {"score": own.score, "comment": own.comment} if own else {}
        form = ReviewForm(initial=initial)
        services.record_viewed(application=application, actor=request.user, request=request)
    others = [r for r in reviews if r.reviewer_id != request.user.pk]
    return render(
        request,
        "programme/calls/application_detail.html",
        {
            "call": application.call,
            "application": application,
            "own_review": own,
            # Other reviewers' scores and comments stay hidden until this reviewer has scored.
            "other_reviews": others if own else None,
            "other_count": len(others),
            "average": (sum(r.score for r in reviews) / len(reviews)) if own and reviews else None,
            "review_form": form,
            "decision_form": DecisionForm(initial={"status": application.status}),
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@require_POST
@permission_required_or_404("programme.decide_applications", fn=_team_call)
def application_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    application = _application_of_call(request, slug, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        changed = services.decide(
            applications=[application], status=form.cleaned_data["status"], actor=request.user, request=request
        )
        if changed:
            messages.success(request, _("Decision saved: %(status)s.") % {"status": changed[0].get_status_display()})
    return redirect("calls_team:application", slug=slug, pk=pk)
