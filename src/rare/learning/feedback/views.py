"""Pages of the feedback area: what is due, answering, and the results for the team and speakers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rare.core.permissions import members_only, permission_required_or_404
from rare.learning.feedback import queries, services
from rare.learning.feedback.forms import AnswerForm, NewFeedbackForm
from rare.learning.feedback.models import FeedbackForm, NamedAnswer
from rare.learning.models import Competency
from rare.programme.rules import is_team


def _form(request: HttpRequest, pk: int) -> FeedbackForm:
    return queries.form_by_pk(pk)


@members_only
@require_GET
def feedback_due(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    speaker_forms = list(queries.forms_of_speaker(person).order_by("-opens_at", "pk")[:20])
    return render(
        request,
        "learning/feedback/due.html",
        {
            "due": queries.forms_due_for(person),
            "speaker_forms": [(f, queries.average_shown(f)) for f in speaker_forms],
            "is_team": bool(is_team(request.user)),
        },
    )


@permission_required_or_404("learning.answer_feedback", fn=_form)
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    form = queries.form_by_pk(pk)
    person = request.user.person
    competencies = (
        list(Competency.objects.filter(sessions=form.session_id).order_by("position", "name"))
        if form.session_id
        else []
    )
    answered = queries.has_answered(form, person)
    is_open = form.is_open_at(timezone.now())
    locked = answered and form.anonymous
    initial = None
    if answered and not form.anonymous:
        previous = NamedAnswer.objects.filter(form=form, person=person).first()
        if previous is not None:
            initial = {
                "overall": previous.overall,
                "usefulness": previous.usefulness,
                "logistics": previous.logistics,
                "sessions": previous.sessions,
                "comment": previous.comment,
                **{f"learned_{k}": v for k, v in previous.learned.items()},
            }
    answer_form = AnswerForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        feedback_form=form,
        competencies=competencies,
    )
    status = 200
    if request.method == "POST":
        if locked or not is_open:
            status = 400
        elif answer_form.is_valid():
            try:
                services.submit_answer(form=form, person=person, actor=request.user, **answer_form.answers())
            except services.FeedbackError as error:
                messages.error(request, str(error))
                status = 400
            else:
                messages.success(request, _("Thank you: your answer was recorded."))
                return redirect("learning:feedback_due")
        else:
            status = 400
    context = {
        "form_obj": form,
        "answer_form": answer_form,
        "rating_fields": [f for f in answer_form if f.name != "comment"],
        "comment_field": answer_form["comment"],
        "answered": answered,
        "locked": locked,
        "is_open": is_open,
        "not_yet": timezone.now() < form.opens_at,
    }
    return render(request, "learning/feedback/answer.html", context, status=status)


@permission_required_or_404("learning.view_feedback_results", fn=_form)
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    form = queries.form_by_pk(pk)
    team = bool(is_team(request.user))
    return render(
        request,
        "learning/feedback/results.html",
        {"form_obj": form, "results": queries.results_of(form, with_names=team), "is_team": team},
    )


@permission_required_or_404("learning.manage_feedback")
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.team_forms(), queries.FORMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(f, queries.average_shown(f)) for f in page.object_list]
    return render(request, "learning/feedback/team_list.html", {"page_obj": page, "rows": rows})


@permission_required_or_404("learning.manage_feedback")
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    initial = {}
    session_id = request.GET.get("session", "")
    if session_id.isdigit():
        initial["session"] = int(session_id)
    form = NewFeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.create_form(
            actor=request.user,
            session=data.get("session"),
            camp=data.get("camp"),
            anonymous=data["anonymous"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            request=request,
        )
        messages.success(request, _("The feedback form was created."))
        return redirect("learning:feedback_results", pk=created.pk)
    return render(
        request, "learning/feedback/create.html", {"form": form}, status=400 if request.method == "POST" else 200
    )
