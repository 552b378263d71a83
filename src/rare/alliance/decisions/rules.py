"""Who may propose, answer, see results and record the outcome of a collective decision.

- propose: the programme team, and the convener of a working group (for their own group);
- answer: the electorate (see `queries.electorate`) while the proposal is open;
- see results: everyone who may see the proposal; hidden results stay hidden from everyone (the
  proposer and the team too) until the close;
- record the outcome: the proposer or the programme team, once the proposal has closed.
"""

from __future__ import annotations

import rules

from rare.alliance.decisions import queries
from rare.alliance.decisions.models import Proposal
from rare.core.visibility import can_view
from rare.programme.rules import is_member, is_team


def convened_group_ids(user) -> frozenset[int]:
    """The working groups the user convenes (one query, kept on the user object)."""
    person = queries.person_of(user)
    if person is None:
        return frozenset()
    cached = getattr(user, "_rare_convened_groups", None)
    if cached is None:
        from rare.alliance.models import WorkingGroup

        cached = frozenset(WorkingGroup.objects.filter(convener=person).values_list("pk", flat=True))
        user._rare_convened_groups = cached
    return cached


@rules.predicate
def is_convener(user) -> bool:
    return bool(is_member.test(user) and convened_group_ids(user))


@rules.predicate
def is_proposer(user, proposal: Proposal | None) -> bool:
    person = queries.person_of(user)
    return bool(proposal is not None and person is not None and proposal.created_by_id == person.pk)


@rules.predicate
def is_open(user, proposal: Proposal | None) -> bool:
    return bool(proposal is not None and proposal.is_open())


@rules.predicate
def is_closed(user, proposal: Proposal | None) -> bool:
    return bool(proposal is not None and proposal.is_closed)


@rules.predicate
def in_electorate(user, proposal: Proposal | None) -> bool:
    return bool(proposal is not None and queries.in_electorate(queries.person_of(user), proposal))


@rules.predicate
def results_shown(user, proposal: Proposal | None) -> bool:
    return bool(proposal is not None and proposal.results_visible)


def may_propose_in(user, group) -> bool:
    """May the user put a proposal to this group (None: to the whole programme)?"""
    if is_team.test(user):
        return True
    return group is not None and is_member.test(user) and group.pk in convened_group_ids(user)


rules.add_perm("alliance.propose_decision", is_team | is_convener)
rules.add_perm("alliance.answer_proposal", is_member & can_view & is_open & in_electorate)
rules.add_perm("alliance.see_proposal_results", can_view & results_shown)
rules.add_perm("alliance.record_outcome", is_member & can_view & is_closed & (is_proposer | is_team))
