"""Pages of the framework, the assessments and growth: the participant's own, and the team's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rare.core.charts import bar_chart
from rare.core.permissions import members_only, permission_required_or_404
from rare.learning.assessments import queries, services
from rare.learning.assessments.forms import AssessmentForm, CompetencyForm, LinkSessionForm, RoundForm
from rare.learning.assessments.models import SCALE
from rare.learning.plans import queries as plan_queries
from rare.learning.plans.forms import PlanItemForm
from rare.programme.models import Programme
from rare.programme.rules import is_participant, is_team


def _programme(request, slug: str, **kwargs) -> Programme:
    return queries.programme_by_slug(slug)


def _growth_person(request, slug: str, person_id: int, **kwargs):
    return queries.person_in(queries.programme_by_slug(slug), person_id)


def _own_person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return person


team_perm = permission_required_or_404("learning.manage_framework", fn=_programme)
cohort_perm = permission_required_or_404("learning.view_cohort", fn=_programme)


# -- the participant ------------------------------------------------------------------------------


@require_GET
@members_only
def home(request):
    """What is due, one's growth, and for the team the programmes' learning pages."""
    person = getattr(request.user, "person", None)
    statuses = queries.rounds_for(person) if person is not None and is_participant(request.user) else []
    programme = queries.current_programme_of(person) if person is not None else None
    team_programmes = list(Programme.objects.order_by("-starts_on")) if is_team(request.user) else []
    return render(
        request,
        "learning/assessments/home.html",
        {
            "statuses": statuses,
            "due": [s for s in statuses if s.due],
            "programme": programme,
            "person": person,
            "team_programmes": team_programmes,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required_or_404("learning.answer_assessments")
def answer(request, round_id: int):
    assessment_round = queries.round_of(round_id)
    person = _own_person(request)
    if not queries.is_participant_in(person, assessment_round.programme):
        raise Http404
    existing = queries.answer_of(assessment_round, person)
    competencies = queries.framework(assessment_round.programme, include_retired=False)
    is_open = assessment_round.is_open()
    form = AssessmentForm(
        request.POST if request.method == "POST" and is_open else None,
        assessment_round=assessment_round,
        competencies=competencies,
        answer=existing,
    )
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("This assessment is closed."))
            return redirect("learning:answer", round_id=assessment_round.pk)
        if form.is_valid():
            try:
                services.submit_assessment(
                    assessment_round=assessment_round,
                    person=person,
                    ratings=form.ratings(),
                    expectations=form.cleaned_data.get("expectations", ""),
                    priorities=form.cleaned_data.get("priorities") or [],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Thank you: your answers are saved. You can change them until the round closes.")
                )
                return redirect("learning:home")
    return render(
        request,
        "learning/assessments/answer.html",
        {"round": assessment_round, "form": form, "answer": existing, "is_open": is_open, "scale": SCALE},
    )


@require_GET
@permission_required_or_404("learning.answer_assessments")
def my_growth(request):
    person = _own_person(request)
    programme = queries.current_programme_of(person)
    if programme is None:
        raise Http404
    return redirect("learning:person_growth", slug=programme.slug, person_id=person.pk)


def growth_chart(growth: queries.Growth, *, ident: str, title: str, description: str):
    return bar_chart(
        ident=ident,
        title=title,
        description=description,
        categories=[(str(row.competency.pk), row.competency.name) for row in growth.rows],
        series=[(str(r.pk), r.label) for r in growth.rounds],
        values={
            (str(row.competency.pk), str(r.pk)): level
            for row in growth.rows
            for r, level in zip(growth.rounds, row.levels, strict=True)
            if level is not None
        },
        value_label=_("level from 1 to 5"),
        category_label=_("Skill"),
    )


@require_http_methods(["GET"])
@permission_required_or_404("learning.view_growth", fn=_growth_person)
def person_growth(request, slug: str, person_id: int):
    programme = queries.programme_by_slug(slug)
    person = queries.person_in(programme, person_id)
    growth = queries.person_growth(person, programme)
    chart = growth_chart(
        growth,
        ident="person-growth",
        title=_("Self-ratings of %(name)s per skill and round") % {"name": person.name},
        description=_(
            "For each skill, one bar per assessment round: the level from 1 (new to me) to 5 (could teach it)."
        ),
    )
    plan = plan_queries.plan_of(person, programme, viewer=request.user)
    return render(
        request,
        "learning/assessments/person_growth.html",
        {
            "programme": programme,
            "person": person,
            "growth": growth,
            "chart": chart,
            "plan": plan,
            "plan_form": PlanItemForm(programme=programme, user=request.user),
            "is_own": getattr(request.user, "person", None) == person,
        },
    )


# -- the team -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@team_perm
def framework(request, slug: str):
    programme = queries.programme_by_slug(slug)
    form = CompetencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_competency(programme=programme, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The skill is added to the framework."))
        return redirect("learning:framework", slug=programme.slug)
    return render(
        request,
        "learning/assessments/framework.html",
        {"programme": programme, "competencies": queries.framework(programme), "form": form},
    )


@require_POST
@team_perm
def framework_default(request, slug: str):
    programme = queries.programme_by_slug(slug)
    services.ensure_default_framework(programme=programme, actor=request.user, request=request)
    messages.success(request, _("The default framework is in place; edit it as you need."))
    return redirect("learning:framework", slug=programme.slug)


@require_http_methods(["GET", "POST"])
@team_perm
def competency_edit(request, slug: str, pk: int):
    programme = queries.programme_by_slug(slug)
    competency = queries.competency_of(programme, pk)
    form = CompetencyForm(
        request.POST if request.method == "POST" else None,
        initial={"name": competency.name, "description": competency.description},
    )
    if request.method == "POST" and form.is_valid():
        services.update_competency(competency=competency, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The skill is saved."))
        return redirect("learning:framework", slug=programme.slug)
    return render(
        request,
        "learning/assessments/competency_form.html",
        {"programme": programme, "competency": competency, "form": form},
    )


@require_POST
@team_perm
def competency_move(request, slug: str, pk: int):
    programme = queries.programme_by_slug(slug)
    competency = queries.competency_of(programme, pk)
    services.move_competency(
        competency=competency, up=request.POST.get("direction") != "down", actor=request.user, request=request
    )
    return redirect("learning:framework", slug=programme.slug)


@require_POST
@team_perm
def competency_retire(request, slug: str, pk: int):
    programme = queries.programme_by_slug(slug)
    competency = queries.competency_of(programme, pk)
    retired = not competency.retired
    services.set_retired(competency=competency, retired=retired, actor=request.user, request=request)
    if retired:
        messages.success(request, _("The skill is retired: it is no longer assessed, and past ratings stay."))
    else:
        messages.success(request, _("The skill is assessed again."))
    return redirect("learning:framework", slug=programme.slug)


@require_http_methods(["GET", "POST"])
@cohort_perm
def rounds(request, slug: str):
    programme = queries.programme_by_slug(slug)
    form = RoundForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_round(programme=programme, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The assessment round is created."))
            return redirect("learning:rounds", slug=programme.slug)
    found, total = queries.rounds_with_responses(programme)
    return render(
        request,
        "learning/assessments/rounds.html",
        {"programme": programme, "rounds": found, "participants": total, "form": form, "now": timezone.now()},
    )


@require_GET
@cohort_perm
def cohort_needs(request, slug: str):
    programme = queries.programme_by_slug(slug)
    base, rows, answers = queries.cohort_needs(programme)
    chart = bar_chart(
        ident="cohort-priorities",
        title=_("Priority skills of the cohort"),
        description=_("How many participants chose each skill as one of their priorities at the kick-off."),
        categories=[(str(row.competency.pk), row.competency.name) for row in rows],
        series=[("priority", _("chosen as a priority"))],
        values={(str(row.competency.pk), "priority"): row.priority_count for row in rows},
        value_label=_("participants"),
        category_label=_("Skill"),
    )
    return render(
        request,
        "learning/assessments/needs.html",
        {
            "programme": programme,
            "round": base,
            "rows": rows,
            "answers": answers,
            "participants": queries.participant_count(programme),
            "chart": chart,
            "scale": SCALE,
            "link_form": LinkSessionForm(programme=programme),
        },
    )


@require_POST
@team_perm
def link_session(request, slug: str):
    programme = queries.programme_by_slug(slug)
    form = LinkSessionForm(request.POST, programme=programme)
    if form.is_valid():
        services.link_session(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The session now trains this skill."))
    else:
        messages.error(request, _("Choose a skill and a session of this programme."))
    return redirect("learning:cohort_needs", slug=programme.slug)


@require_GET
@cohort_perm
def cohort_growth(request, slug: str):
    programme = queries.programme_by_slug(slug)
    growth = queries.cohort_growth(programme)
    chart = growth_chart(
        growth,
        ident="cohort-growth",
        title=_("Average self-rating of the cohort per skill and round"),
        description=_("For each skill, one bar per assessment round: the cohort's average level from 1 to 5."),
    )
    return render(
        request,
        "learning/assessments/cohort_growth.html",
        {"programme": programme, "growth": growth, "chart": chart, "people": queries.participants(programme)},
    )
