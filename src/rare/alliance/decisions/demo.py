"""Demo decisions and joint statements of the first cohort (all invented).

A closed consent proposal with its outcome, an open vote and a time poll in the working groups; one
published joint statement with its signatory organisations and one open for signature. Written
straight to the tables (no notices go out for invented history). Loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from rare.alliance.decisions import queries
from rare.alliance.decisions.models import Answer, AnswerChoice, Option, Proposal
from rare.alliance.models import WorkingGroup
from rare.alliance.statements.models import Signature, Statement, StatementVersion
from rare.core.visibility import Visibility

BRIEF = """\
Civil society organisations across the European Union face a shrinking space: restrictive laws on
foreign funding, smear campaigns, strategic lawsuits and cuts in public support. We, the undersigned
organisations, call on the European institutions to adopt **an EU strategy for civil society** that:

1. recognises civil society as a pillar of democracy and the rule of law in the Union's treaties and
   policies;
2. protects organisations and human rights defenders against attacks, with a rapid response when a
   member state restricts civic space;
3. guarantees sustainable, accessible funding, including for watchdog and advocacy work;
4. sets up a structured civil dialogue at every stage of EU decision-making.
"""

SLAPP = """\
Strategic lawsuits against public participation silence journalists, activists and organisations
that speak up in the public interest. We call on the member states to transpose the EU anti-SLAPP
directive **in full and on time**, and to extend its protection to domestic cases.
"""


@transaction.atomic
def load_demo_decisions() -> int:
    """Create the demo's proposals and statements if they are missing; returns how many were made."""
    groups = {g.slug: g for g in WorkingGroup.objects.filter(slug__in=["rule-of-law", "civic-space"])}
    if len(groups) < 2 or Proposal.objects.filter(group__in=groups.values()).exists():
        return 0
    now = timezone.now().replace(second=0, microsecond=0)
    rule_of_law, civic_space = groups["rule-of-law"], groups["civic-space"]
    made = 0

    consent = _proposal(
        rule_of_law,
        kind=Proposal.Kind.CONSENT,
        title="Sign the joint brief calling for an EU strategy for civil society",
        body="The brief has four asks (see the joint statement). Shall the group sign it as it stands?",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=23),
    )
    members = list(rule_of_law.members.select_related("user").order_by("slug"))
    for index, person in enumerate(members[:8]):
        position = Answer.Position.ABSTAIN if index == 3 else Answer.Position.AGREE
        reason = "" if index % 2 else "The four asks match what we hear from our partners."
        Answer.objects.create(proposal=consent, person=person, position=position, reason=reason)
    tally = queries.results(consent)
    consent.status = Proposal.Status.CLOSED
    consent.closed_at = consent.closes_at
    consent.result = tally.as_json()
    consent.outcome = (
        "No objections: the group signs the brief. The convener sends it to the Commission's DG JUST and the "
        "LIBE committee before the rule-of-law report consultation closes."
    )
    consent.outcome_by = rule_of_law.convener
    consent.outcome_at = consent.closes_at + dt.timedelta(hours=5)
    consent.save()
    made += 1

    vote = _proposal(
        civic_space,
        kind=Proposal.Kind.VOTE,
        title="Which target comes first for the anti-SLAPP campaign?",
        body="We have the capacity for one focused push this quarter. Pick the target to start with.",
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=5),
        options=["European Parliament, JURI committee", "Council presidency", "National parliaments"],
    )
    options = list(vote.options.all())
    for index, person in enumerate(civic_space.members.order_by("slug")[:4]):
        answer = Answer.objects.create(proposal=vote, person=person, reason="Where we have allies already.")
        AnswerChoice.objects.create(answer=answer, option=options[index % 2])
    made += 1

    first_slot = (now + dt.timedelta(days=14)).replace(hour=14, minute=0)
    _proposal(
        rule_of_law,
        kind=Proposal.Kind.TIME_POLL,
        title="Online meeting on the rule-of-law report contributions",
        body="One hour to split the country chapters. Say which times work for you.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=6),
        options=[first_slot, first_slot + dt.timedelta(days=1), first_slot + dt.timedelta(days=2, hours=-4)],
        hide_results=True,
    )
    made += 1

    made += _statements(now, rule_of_law, civic_space)
    return made


def _proposal(group, *, options=(), **fields) -> Proposal:
    proposal = Proposal.objects.create(
        group=group,
        programme=group.programme,
        created_by=group.convener,
        visibility=Visibility.MEMBERS,
        announced_at=fields["opens_at"],
        **fields,
    )
    proposal.allowed_groups.set([group])
    Option.objects.bulk_create(
        Option(
            proposal=proposal,
            position=position,
            label="" if isinstance(choice, dt.datetime) else choice,
            starts_at=choice if isinstance(choice, dt.datetime) else None,
        )
        for position, choice in enumerate(options)
    )
    return proposal


def _statements(now: dt.datetime, rule_of_law, civic_space) -> int:
    if Statement.objects.filter(slug__in=["eu-strategy-for-civil-society", "transpose-anti-slapp-directive"]).exists():
        return 0
    published = Statement.objects.create(
        title="For an EU strategy for civil society",
        slug="eu-strategy-for-civil-society",
        group=rule_of_law,
        deadline=now - dt.timedelta(days=20),
        status=Statement.Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_at=now - dt.timedelta(days=18),
        created_by=rule_of_law.convener,
    )
    version = StatementVersion.objects.create(statement=published, number=1, text=BRIEF, author=rule_of_law.convener)
    signers = {}
    for person in rule_of_law.members.select_related("organisation").order_by("slug"):
        if person.organisation_id and person.organisation_id not in signers:
            signers[person.organisation_id] = person
    Signature.objects.bulk_create(
        Signature(
            statement=published,
            organisation_id=org,
            signed_by=person,
            version=version,
            signed_at=now - dt.timedelta(days=25),
        )
        for org, person in list(signers.items())[:9]
    )
    open_one = Statement.objects.create(
        title="Transpose the anti-SLAPP directive in full and on time",
        slug="transpose-anti-slapp-directive",
        group=civic_space,
        deadline=now + dt.timedelta(days=10),
        status=Statement.Status.OPEN,
        created_by=civic_space.convener,
    )
    first = StatementVersion.objects.create(statement=open_one, number=1, text=SLAPP, author=civic_space.convener)
    StatementVersion.objects.create(
        statement=open_one,
        number=2,
        text=SLAPP + "\nWe also ask for legal aid for those targeted.\n",
        author=civic_space.convener,
    )
    early = civic_space.members.select_related("organisation").exclude(organisation=None).order_by("slug").first()
    if early is not None:
        Signature.objects.create(
            statement=open_one, organisation=early.organisation, signed_by=early, version=first, signed_at=now
        )
    return 2
