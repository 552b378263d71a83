"""Reads of collective decisions: visibility applied, results counted in the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rare.alliance.decisions.models import Answer, AnswerChoice, Option, Proposal
from rare.community.models import Person
from rare.programme.models import Membership

PROPOSALS_PER_PAGE = 20
# Who answers a proposal put to a whole programme.
ELECTORATE_ROLES = (
    Membership.Role.PARTICIPANT,
    Membership.Role.ALUMNI,
    Membership.Role.TEAM,
    Membership.Role.DUTY_OFFICER,
)


def person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def electorate(proposal: Proposal) -> QuerySet[Person]:
    """The people who answer the proposal: its group's convener and members, or the programme's members.

    Only people with an active account can answer.
    """
    people = Person.objects.filter(user__isnull=False, user__is_active=True)
    if proposal.group_id is not None:
        from rare.alliance.models import WorkingGroup

        members = WorkingGroup.members.through.objects.filter(workinggroup_id=proposal.group_id, person=OuterRef("pk"))
        convenes = WorkingGroup.objects.filter(pk=proposal.group_id, convener=OuterRef("pk"))
        return people.filter(Q(Exists(members)) | Q(Exists(convenes)))
    roles = Membership.objects.filter(person=OuterRef("pk"), role__in=ELECTORATE_ROLES)
    if proposal.programme_id is not None:
        roles = roles.filter(programme_id=proposal.programme_id)
    return people.filter(Exists(roles))


def in_electorate(person: Person | None, proposal: Proposal) -> bool:
    if person is None:
        return False
    return electorate(proposal).filter(pk=person.pk).exists()


def not_answered(proposal: Proposal) -> QuerySet[Person]:
    """The electorate minus those who have answered."""
    answered = Answer.objects.filter(proposal=proposal, person=OuterRef("pk"))
    return electorate(proposal).exclude(Exists(answered))


def _answer_count() -> Coalesce:
    rows = (
        Answer.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal").annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def visible_proposals(user, *, status: str | None = None) -> QuerySet[Proposal]:
    """The proposals `user` may see, newest deadline first, with what the list shows, in one query."""
    proposals = (
        Proposal.objects.visible_to(user)
        .select_related("group", "programme")
        .annotate(answer_count=_answer_count())
        .order_by("status", "-closes_at", "-pk")
    )
    person = person_of(user)
    if person is not None:
        proposals = proposals.annotate(
            answered=Exists(Answer.objects.filter(proposal=OuterRef("pk"), person_id=person.pk))
        )
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    return proposals


def proposal_for_detail() -> QuerySet[Proposal]:
    """Proposals with what their page shows, for `get_visible_or_404`."""
    return (
        Proposal.objects.select_related("group", "programme", "created_by", "outcome_by")
        .annotate(answer_count=_answer_count())
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
    )


def own_answer(proposal: Proposal, person: Person | None) -> Answer | None:
    if person is None:
        return None
    return Answer.objects.filter(proposal=proposal, person=person).prefetch_related("choices").first()


@dataclass
class OptionResult:
    option: Option
    yes: int = 0
    maybe: int = 0
    no: int = 0

    @property
    def score(self) -> int:
        """For ranking times: a yes counts twice as much as an "if need be"."""
        return 2 * self.yes + self.maybe


@dataclass
class Results:
    kind: str
    answers: int
    electorate: int
    positions: dict[str, int] = field(default_factory=dict)
    options: list[OptionResult] = field(default_factory=list)

    @property
    def passed(self) -> bool | None:
        """Consent passes when nobody objects; other kinds do not pass or fail."""
        if self.kind != Proposal.Kind.CONSENT:
            return None
        return self.answers > 0 and self.positions.get(Answer.Position.OBJECT, 0) == 0

    @property
    def leading(self) -> list[OptionResult]:
        """The option(s) with the highest score (ties all lead); none without any answer."""
        if not self.options:
            return []
        best = max(r.score for r in self.options)
        return [r for r in self.options if r.score == best and best > 0]

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "answers": self.answers,
            "electorate": self.electorate,
            "positions": self.positions,
            "options": [
                {"id": r.option.pk, "label": str(r.option), "yes": r.yes, "maybe": r.maybe, "no": r.no}
                for r in self.options
            ],
            "passed": self.passed,
            "leading": [r.option.pk for r in self.leading],
        }


def results(proposal: Proposal) -> Results:
    """The tally of a proposal, counted by the database in three queries."""
    positions = dict(
        Answer.objects.filter(proposal=proposal)
        .exclude(position="")
        .order_by()
        .values("position")
        .annotate(n=Count("*"))
        .values_list("position", "n")
    )
    counts = (
        Option.objects.filter(proposal=proposal)
        .annotate(
            yes=Count("choices", filter=Q(choices__value=AnswerChoice.Value.YES)),
            maybe=Count("choices", filter=Q(choices__value=AnswerChoice.Value.MAYBE)),
            no=Count("choices", filter=Q(choices__value=AnswerChoice.Value.NO)),
        )
        .order_by("position", "pk")
    )
    answers = Answer.objects.filter(proposal=proposal).count()
    return Results(
        kind=proposal.kind,
        answers=answers,
        electorate=electorate(proposal).count(),
        positions={value: positions.get(value, 0) for value in Answer.Position.values},
        options=[OptionResult(option=o, yes=o.yes, maybe=o.maybe, no=o.no) for o in counts],
    )


def answers_with_reasons(proposal: Proposal) -> QuerySet[Answer]:
    """Every answer, with its person and choices, for the results section (constant queries)."""
    return (
        Answer.objects.filter(proposal=proposal)
        .select_related("person__organisation")
        .prefetch_related(Prefetch("choices", queryset=AnswerChoice.objects.select_related("option")))
        .order_by("created_at", "pk")
    )
