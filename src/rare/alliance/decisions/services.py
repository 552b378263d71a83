"""Writes of collective decisions: propose, answer, close on time, remind, record the outcome.

Every function is one transaction, audited; notices go through `rare.core.notifications` with a
dedupe key, so running a job twice never notifies twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from rare.alliance.decisions import notices, queries
from rare.alliance.decisions.models import Answer, AnswerChoice, Option, Proposal
from rare.community.models import Person
from rare.core.audit import record
from rare.core.visibility import Visibility
from rare.programme.models import Programme

Kind = Proposal.Kind
Position = Answer.Position
Value = AnswerChoice.Value

# Members who have not answered are reminded once, this long before the deadline (or halfway through
# a proposal that is open for less than twice as long).
REMINDER_BEFORE = dt.timedelta(hours=24)


def _copy_visibility(proposal: Proposal, group) -> None:
    """A group's proposal is seen as the group is (a public group's decisions stay with the members)."""
    if group is None:
        proposal.visibility = Visibility.MEMBERS
        return
    proposal.visibility = Visibility.MEMBERS if group.visibility == Visibility.PUBLIC else group.visibility
    proposal.save(update_fields=["visibility"])
    proposal.allowed_people.set(group.allowed_people.all())
    proposal.allowed_organisations.set(group.allowed_organisations.all())
    proposal.allowed_groups.set([group, *group.allowed_groups.all()])


@transaction.atomic
def create_proposal(
    *,
    created_by: Person,
    actor,
    kind: str,
    title: str,
    body: str,
    closes_at: dt.datetime,
    options: Sequence[str | dt.datetime] = (),
    group=None,
    programme: Programme | None = None,
    opens_at: dt.datetime | None = None,
    hide_results: bool = False,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """Put a proposal to a group (or, with no group, to the whole programme) and announce it."""
    now = now or timezone.now()
    opens_at = opens_at or now
    if closes_at <= opens_at:
        raise ValidationError(_("The deadline must come after the opening."))
    if kind == Kind.CONSENT:
        options = ()
    elif len(options) < 2:
        raise ValidationError(_("Give at least two options."))
    if group is not None:
        programme = group.programme
    elif programme is None:
        programme = Programme.objects.current()
    proposal = Proposal.objects.create(
        group=group,
        programme=programme,
        kind=kind,
        title=title,
        body=body,
        opens_at=opens_at,
        closes_at=closes_at,
        hide_results=hide_results,
        created_by=created_by,
    )
    _copy_visibility(proposal, group)
    Option.objects.bulk_create(
        Option(
            proposal=proposal,
            position=position,
            label="" if isinstance(choice, dt.datetime) else str(choice),
            starts_at=choice if isinstance(choice, dt.datetime) else None,
        )
        for position, choice in enumerate(options)
    )
    record(
        "decision.proposed",
        actor=actor,
        request=request,
        target=proposal,
        kind=kind,
        group=group.slug if group else None,
        options=len(options),
        hide_results=hide_results,
    )
    if opens_at <= now:
        _announce(proposal, now)
    return proposal


def _electorate_user_ids(proposal: Proposal, people=None) -> list[int]:
    people = queries.electorate(proposal) if people is None else people
    return list(people.values_list("user_id", flat=True))


def _announce(proposal: Proposal, now: dt.datetime) -> None:
    proposal.announced_at = now
    proposal.save(update_fields=["announced_at"])
    notices.send(
        kind="decision.opened",
        target=proposal,
        recipients=_electorate_user_ids(proposal),
        dedupe_key=f"decision.opened:{proposal.pk}",
    )


@transaction.atomic
def answer(
    *,
    proposal: Proposal,
    person: Person,
    actor,
    position: str = "",
    choices: dict[int, str] | Sequence[int] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Answer:
    """Give or change one's answer while the proposal is open.

    Consent takes a position (an objection needs a reason); a vote takes one option id, a poll any
    number; a time poll takes {option id: yes/maybe/no}.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open(now):
        raise PermissionDenied(_("This proposal is not open for answers."))
    if not queries.in_electorate(person, proposal):
        raise PermissionDenied(_("Only the members this proposal was put to can answer it."))
    values = _validated_choices(proposal, position=position, choices=choices, reason=reason)
    existing = Answer.objects.filter(proposal=proposal, person=person).first()
    given = existing or Answer(proposal=proposal, person=person)
    given.position = position if proposal.kind == Kind.CONSENT else ""
    given.reason = reason.strip()
    given.save()
    given.choices.all().delete()
    AnswerChoice.objects.bulk_create(AnswerChoice(answer=given, option_id=pk, value=v) for pk, v in values.items())
    record(
        "decision.answered",
        actor=actor,
        request=request,
        target=proposal,
        changed=existing is not None,
        with_reason=bool(given.reason),
    )
    return given


def _validated_choices(proposal: Proposal, *, position: str, choices, reason: str) -> dict[int, str]:
    option_ids = set(proposal.options.values_list("pk", flat=True))
    if proposal.kind == Kind.CONSENT:
        if position not in Position.values:
            raise ValidationError(_("Choose agree, abstain or object."))
        if position == Position.OBJECT and not reason.strip():
            raise ValidationError(_("Say why you object, so that the proposal can be improved."))
        return {}
    if proposal.kind == Kind.TIME_POLL:
        values = {int(pk): v for pk, v in dict(choices).items()}
        if set(values) != option_ids or not set(values.values()) <= set(Value.values):
            raise ValidationError(_("Answer yes, if need be or no for every time."))
        return values
    picked = {int(pk) for pk in choices}
    if not picked or not picked <= option_ids:
        raise ValidationError(_("Choose an option."))
    if proposal.kind == Kind.VOTE and len(picked) != 1:
        raise ValidationError(_("Choose exactly one option."))
    return dict.fromkeys(picked, Value.YES)


def close_due_proposals(*, now: dt.datetime | None = None) -> list[int]:
    """Announce proposals whose opening has come and close those past their deadline.

    Safe to run any number of times and in several workers at once: each proposal is locked and
    closed in its own transaction, and one already closed is left alone. Returns the closed ids.
    """
    now = now or timezone.now()
    for pk in Proposal.objects.filter(
        status=Proposal.Status.OPEN, announced_at__isnull=True, opens_at__lte=now, closes_at__gt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().filter(pk=pk, announced_at__isnull=True).first()
            if proposal is not None:
                _announce(proposal, now)
    closed = []
    due = Proposal.objects.filter(status=Proposal.Status.OPEN, closes_at__lte=now).order_by("closes_at", "pk")
    for pk in due.values_list("pk", flat=True):
        if close_proposal(proposal_id=pk, now=now):
            closed.append(pk)
    return closed


@transaction.atomic
def close_proposal(*, proposal_id: int, now: dt.datetime | None = None, actor=None) -> bool:
    """Close one proposal, keep its result, tell the electorate and ask the proposer for an outcome."""
    now = now or timezone.now()
    proposal = Proposal.objects.select_for_update().filter(pk=proposal_id, status=Proposal.Status.OPEN).first()
    if proposal is None:
        return False
    tally = queries.results(proposal)
    proposal.status = Proposal.Status.CLOSED
    proposal.closed_at = now
    proposal.result = tally.as_json()
    proposal.save(update_fields=["status", "closed_at", "result"])
    record(
        "decision.closed",
        actor=actor,
        target=proposal,
        answers=tally.answers,
        electorate=tally.electorate,
        passed=tally.passed,
    )
    recipients = set(_electorate_user_ids(proposal))
    proposer_user = proposal.created_by.user_id if proposal.created_by else None
    if proposer_user:
        recipients.add(proposer_user)
        notices.send(
            kind="decision.outcome_due",
            target=proposal,
            recipients=[proposer_user],
            dedupe_key=f"decision.outcome_due:{proposal.pk}",
        )
    notices.send(
        kind="decision.closed",
        target=proposal,
        recipients=sorted(recipients),
        dedupe_key=f"decision.closed:{proposal.pk}",
    )
    return True


def reminder_due_at(proposal: Proposal) -> dt.datetime:
    """When the one reminder goes out: REMINDER_BEFORE the deadline, or halfway for a short proposal."""
    half = (proposal.closes_at - proposal.opens_at) / 2
    return proposal.closes_at - min(REMINDER_BEFORE, half)


def send_reminders(*, now: dt.datetime | None = None) -> dict[int, int]:
    """Remind once, per proposal, the electorate members who have not answered yet.

    Returns {proposal id: how many people were reminded}.
    """
    now = now or timezone.now()
    sent = {}
    candidates = Proposal.objects.filter(
        status=Proposal.Status.OPEN,
        reminded_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + REMINDER_BEFORE,
    )
    for proposal in candidates:
        if reminder_due_at(proposal) > now:
            continue
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().filter(pk=proposal.pk, reminded_at__isnull=True).first()
            if locked is None:
                continue
            people = _electorate_user_ids(locked, queries.not_answered(locked))
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            if people:
                notices.send(
                    kind="decision.reminder",
                    target=locked,
                    recipients=people,
                    dedupe_key=f"decision.reminder:{locked.pk}",
                )
            record("decision.reminded", target=locked, reminded=len(people))
            sent[locked.pk] = len(people)
    return sent


@transaction.atomic
def record_outcome(
    *, proposal: Proposal, person: Person | None, actor, text: str, request: HttpRequest | None = None
) -> Proposal:
    """Write (or correct) the outcome statement of a closed proposal."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_closed:
        raise PermissionDenied(_("The outcome is recorded after the proposal closes."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the outcome."))
    corrected = bool(proposal.outcome)
    proposal.outcome = text
    proposal.outcome_by = person
    proposal.outcome_at = timezone.now()
    proposal.save(update_fields=["outcome", "outcome_by", "outcome_at"])
    record("decision.outcome_recorded", actor=actor, request=request, target=proposal, corrected=corrected)
    return proposal
