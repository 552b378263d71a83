"""Pages of collective decisions: the list, a new proposal, a proposal with its answer form and results."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rare.alliance.decisions import queries, services
from rare.alliance.decisions.forms import AnswerForm, OutcomeForm, ProposalForm
from rare.alliance.decisions.models import Proposal
from rare.alliance.decisions.rules import convened_group_ids
from rare.core.permissions import by_visibility, permission_required_or_404
from rare.core.visibility import get_visible_or_404
from rare.programme.rules import is_team


def _proposal(request, pk: int) -> Proposal:
    return get_visible_or_404(queries.proposal_for_detail(), request.user, request=request, pk=pk)


@by_visibility
@require_safe
def proposal_list(request):
    status = request.GET.get("status", "")
    proposals = Paginator(queries.visible_proposals(request.user, status=status), queries.PROPOSALS_PER_PAGE)
    context = {
        "page_obj": proposals.get_page(request.GET.get("page")),
        "status": status,
        "statuses": Proposal.Status.choices,
        "may_propose": rules.has_perm("alliance.propose_decision", request.user),
    }
    return render(request, "alliance/decisions/proposal_list.html", context)


@permission_required_or_404("alliance.propose_decision")
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request):
    from rare.alliance.models import WorkingGroup

    team = is_team.test(request.user)
    groups = WorkingGroup.objects.visible_to(request.user).order_by("name")
    if not team:
        groups = groups.filter(pk__in=convened_group_ids(request.user))
    form = ProposalForm(request.POST or None, groups=groups, allow_programme=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.create_proposal(
                created_by=request.user.person,
                actor=request.user,
                request=request,
                group=data["group"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                closes_at=data["closes_at"],
                options=data["option_list"],
                hide_results=data["hide_results"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal is open for answers."))
            return redirect(proposal)
    return render(request, "alliance/decisions/proposal_form.html", {"form": form})


@by_visibility
@require_safe
def proposal_detail(request, pk: int):
    proposal = _proposal(request, pk)
    return render(request, "alliance/decisions/proposal_detail.html", _detail_context(request, proposal))


def _detail_context(request, proposal: Proposal, *, answer_form=None, outcome_form=None) -> dict:
    person = queries.person_of(request.user)
    own = queries.own_answer(proposal, person)
    may_answer = rules.has_perm("alliance.answer_proposal", request.user, proposal)
    context = {
        "proposal": proposal,
        "own_answer": own,
        "may_answer": may_answer,
        "answer_form": answer_form or (AnswerForm(proposal=proposal, answer=own) if may_answer else None),
        "may_record_outcome": rules.has_perm("alliance.record_outcome", request.user, proposal),
        "outcome_form": outcome_form or OutcomeForm(initial={"outcome": proposal.outcome}),
        "electorate_size": queries.electorate(proposal).count(),
        "in_electorate": queries.in_electorate(person, proposal),
    }
    if rules.has_perm("alliance.see_proposal_results", request.user, proposal):
        tally = queries.results(proposal)
        context["results"] = tally
        context["answers"] = list(queries.answers_with_reasons(proposal))
        context["objections"] = [a for a in context["answers"] if a.position == "object"]
    return context


def _answerable(request, pk: int) -> Proposal:
    return _proposal(request, pk)


@permission_required_or_404("alliance.answer_proposal", fn=_answerable)
@require_POST
def proposal_answer(request, pk: int):
    proposal = _proposal(request, pk)
    own = queries.own_answer(proposal, request.user.person)
    form = AnswerForm(request.POST, proposal=proposal, answer=own)
    if form.is_valid():
        try:
            services.answer(
                proposal=proposal,
                person=request.user.person,
                actor=request.user,
                request=request,
                **form.service_arguments(),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Your answer has been saved. You can change it until the deadline."))
            return redirect(proposal)
    context = _detail_context(request, proposal, answer_form=form)
    return render(request, "alliance/decisions/proposal_detail.html", context, status=400)


@permission_required_or_404("alliance.record_outcome", fn=_answerable)
@require_POST
def proposal_outcome(request, pk: int):
    proposal = _proposal(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        services.record_outcome(
            proposal=proposal,
            person=queries.person_of(request.user),
            actor=request.user,
            request=request,
            text=form.cleaned_data["outcome"],
        )
        messages.success(request, _("The outcome has been recorded."))
        return redirect(proposal)
    context = _detail_context(request, proposal, outcome_form=form)
    return render(request, "alliance/decisions/proposal_detail.html", context, status=400)
