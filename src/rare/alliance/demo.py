"""The demo's joint strategic action plan, campaigns and advocacy engagements (all invented).

Modelled on the first cohort: the rule of law and civic space as cross-cutting priorities plus the
alliance's own solidarity mechanism; a dozen actions, some late, some done, some without an owner; two
campaigns (the joint brief for an EU strategy for civil society, and anti-SLAPP transposition); six
engagements with the demo's EU and international institutions; meetings of the two working groups.
Written through the tables (no notices go out for invented history). Loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from rare.alliance.models import WorkingGroup
from rare.alliance.plan.models import (
    Action,
    ActionChange,
    Campaign,
    CampaignOutput,
    Engagement,
    FollowUp,
    Meeting,
    Milestone,
    Objective,
    PriorityIssue,
)
from rare.community.models import Contact, Institution, Organisation, Person
from rare.core.visibility import Visibility

S = Action.Status

# priority -> objectives -> actions: (title, owners (organisation slugs), group slug, due in days from
# today (negative: in the past), status, progress)
PLAN = [
    (
        "Rule of law",
        [
            (
                "National evidence reaches the EU's annual rule of law report",
                [
                    (
                        "Coordinate joint submissions to the rule of law report consultation",
                        ["danube-civic-defence-network", "vistula-legal-action-centre"],
                        "rule-of-law",
                        -20,
                        S.IN_PROGRESS,
                        70,
                    ),
                    (
                        "Shared calendar of country visits and consultations",
                        ["tatra-watchdog-forum"],
                        "rule-of-law",
                        -60,
                        S.DONE,
                        100,
                    ),
                    (
                        "Briefing for LIBE members before the plenary debate",
                        ["bohemian-public-interest-lawyers"],
                        "rule-of-law",
                        45,
                        S.PLANNED,
                        10,
                    ),
                ],
            ),
            (
                "Judicial independence defended across borders",
                [
                    (
                        "Trial monitoring network for judges under disciplinary proceedings",
                        ["vistula-legal-action-centre", "karst-civil-liberties-union"],
                        "rule-of-law",
                        -5,
                        S.BLOCKED,
                        30,
                    ),
                    ("Comparative study of court-packing tactics", [], "rule-of-law", 90, S.PLANNED, 0),
                ],
            ),
        ],
    ),
    (
        "Civic space",
        [
            (
                "An EU strategy for civil society",
                [
                    (
                        "Joint brief with four asks to the Commission",
                        ["danube-civic-defence-network", "spree-democracy-workshop", "polder-rights-clinic"],
                        "civic-space",
                        -120,
                        S.DONE,
                        100,
                    ),
                    (
                        "Collect signatures of organisations for the brief",
                        ["balkan-freedom-of-assembly-monitor"],
                        "civic-space",
                        -90,
                        S.DONE,
                        100,
                    ),
                    (
                        "Follow-up meetings with DG JUST",
                        ["spree-democracy-workshop"],
                        "civic-space",
                        -10,
                        S.IN_PROGRESS,
                        40,
                    ),
                ],
            ),
            (
                "Foreign-agent laws stopped before they spread",
                [
                    (
                        "Early-warning briefings when a copycat bill appears",
                        ["baltic-rights-watch-collective"],
                        "civic-space",
                        30,
                        S.IN_PROGRESS,
                        50,
                    ),
                    ("Legal analysis template for restrictive funding laws", [], "civic-space", -15, S.PLANNED, 0),
                ],
            ),
        ],
    ),
    (
        "Solidarity across borders",
        [
            (
                "Every verified alert gets a response within a week",
                [
                    ("Rota of duty officers agreed by the alliance", ["rare-programme-office"], "", -150, S.DONE, 100),
                    ("Template letters to embassies in five languages", [], "", 20, S.PLANNED, 20),
                ],
            ),
        ],
    ),
]

CAMPAIGNS = [
    {
        "slug": "eu-strategy-for-civil-society",
        "title": "An EU strategy for civil society",
        "goal": "The Commission proposes, and the Parliament and Council endorse, an EU strategy that protects "
        "and enables civil society.",
        "asks": "Recognise civil society as a pillar of democracy and the rule of law\n"
        "Protect organisations and defenders against attacks, with a rapid response\n"
        "Guarantee sustainable, accessible funding, including for watchdog work\n"
        "Set up a structured civil dialogue at every stage of EU decision-making",
        "group": "civic-space",
        "status": Campaign.Status.ACTIVE,
        "start": -200,
        "end": 160,
        "targets": ["dg-just", "ep-libe", "ep-afco"],
        "organisations": [
            "danube-civic-defence-network",
            "spree-democracy-workshop",
            "polder-rights-clinic",
            "balkan-freedom-of-assembly-monitor",
            "iberian-transparency-lab",
        ],
        "outputs": [
            (CampaignOutput.Kind.BRIEF, "Joint brief: four asks for an EU strategy for civil society", -120),
            (CampaignOutput.Kind.LETTER, "Letter to the Commissioner for Justice", -100),
            (CampaignOutput.Kind.MEDIA, "Op-ed in a Brussels policy outlet", -80),
        ],
    },
    {
        "slug": "anti-slapp-transposition",
        "title": "Anti-SLAPP directive: transpose it in full",
        "goal": "Member states transpose the EU anti-SLAPP directive in full and on time, and extend it to "
        "domestic cases.",
        "asks": "Transpose the directive in full and on time\nExtend protection to domestic cases",
        "group": "rule-of-law",
        "status": Campaign.Status.PLANNED,
        "start": 10,
        "end": 300,
        "targets": ["ep-juri", "council-of-the-eu", "coe-commissioner"],
        "organisations": ["bohemian-public-interest-lawyers", "adriatic-human-rights-bureau"],
        "outputs": [(CampaignOutput.Kind.STATEMENT, "Joint statement on SLAPPs", -5)],
    },
]

# (kind, title, days from today, institution slug, campaign slug or "", ask, outcome, follow-ups)
ENGAGEMENTS = [
    (
        Engagement.Kind.MEETING,
        "Camp 7: meeting with the LIBE secretariat",
        -260,
        "ep-libe",
        "",
        "Use national evidence from our members in the committee's rule of law work.",
        "The secretariat invited written input before the next report.",
        [("Send the joint submission", -230, True)],
    ),
    (
        Engagement.Kind.MEETING,
        "Camp 7: exchange with DG JUST officials",
        -259,
        "dg-just",
        "eu-strategy-for-civil-society",
        "Consider an EU strategy for civil society with the four asks of our brief.",
        "Officials welcomed the brief and asked for examples of attacks on funding.",
        [("Send three documented cases of funding restrictions", -20, False)],
    ),
    (
        Engagement.Kind.LETTER,
        "Letter on the rule of law report consultation",
        -75,
        "dg-just",
        "",
        "Reflect the attacks on judges documented by our members.",
        "Acknowledged; a meeting was offered after the report.",
        [],
    ),
    (
        Engagement.Kind.HEARING,
        "Public hearing on civic space in the EU",
        -40,
        "ep-libe",
        "eu-strategy-for-civil-society",
        "Invite a member of the alliance to testify on foreign-agent laws.",
        "A member testified; the rapporteur quoted the brief.",
        [("Share the testimony with the AFCO committee", 14, False)],
    ),
    (
        Engagement.Kind.CONSULTATION,
        "FRA consultation on civic space",
        -30,
        "fra",
        "",
        "Include cross-border spill-over of restrictive laws in the next civic space report.",
        "",
        [("Check whether the report takes it up", 60, False)],
    ),
    (
        Engagement.Kind.MEETING,
        "Call with the Commissioner for Human Rights' office",
        -12,
        "coe-commissioner",
        "anti-slapp-transposition",
        "Raise SLAPPs against our members in the next country visits.",
        "Noted for the next visits.",
        [],
    ),
]


def _organisations(slugs) -> list[Organisation]:
    return list(Organisation.objects.filter(slug__in=slugs))


@transaction.atomic
def load_demo_plan() -> int:
    """Create the demo's plan, campaigns, engagements and meetings if missing; returns how many actions."""
    if PriorityIssue.objects.filter(title=PLAN[0][0]).exists():
        return 0
    today = timezone.localdate()
    now = timezone.now().replace(second=0, microsecond=0)
    groups = {g.slug: g for g in WorkingGroup.objects.filter(slug__in=["rule-of-law", "civic-space"])}
    made = 0
    for p_index, (priority_title, objectives) in enumerate(PLAN):
        priority = PriorityIssue.objects.create(title=priority_title, position=p_index)
        for o_index, (objective_title, actions) in enumerate(objectives):
            objective = Objective.objects.create(priority=priority, title=objective_title, position=o_index)
            for title, owners, group, due, status, progress in actions:
                action = Action.objects.create(
                    objective=objective,
                    title=title,
                    working_group=groups.get(group),
                    due_date=today + dt.timedelta(days=due),
                    status=status,
                    progress=progress,
                    visibility=Visibility.MEMBERS,
                )
                action.owners.set(_organisations(owners))
                ActionChange.objects.create(
                    action=action,
                    actor_name="RARE programme team",
                    at=now - dt.timedelta(days=200),
                    field="created",
                    after=title,
                )
                if status != S.PLANNED:
                    ActionChange.objects.create(
                        action=action,
                        actor_name="RARE programme team",
                        at=now - dt.timedelta(days=30),
                        field="status",
                        before=str(S.PLANNED.label),
                        after=str(S(status).label),
                    )
                Milestone.objects.create(
                    action=action,
                    title="Plan agreed in the working group",
                    due=today + dt.timedelta(days=due - 30),
                    done=status in (S.DONE, S.IN_PROGRESS),
                )
                made += 1

    campaigns = {}
    for item in CAMPAIGNS:
        campaign = Campaign.objects.create(
            slug=item["slug"],
            title=item["title"],
            goal=item["goal"],
            asks=item["asks"],
            working_group=groups.get(item["group"]),
            status=item["status"],
            starts_on=today + dt.timedelta(days=item["start"]),
            ends_on=today + dt.timedelta(days=item["end"]),
            visibility=Visibility.MEMBERS,
        )
        campaign.target_institutions.set(Institution.objects.filter(slug__in=item["targets"]))
        campaign.target_contacts.set(Contact.objects.filter(institution__slug__in=item["targets"][:1]))
        campaign.organisations.set(_organisations(item["organisations"]))
        for kind, title, days in item["outputs"]:
            CampaignOutput.objects.create(
                campaign=campaign,
                kind=kind,
                title=title,
                url="https://example.org/rare-demo/" + campaign.slug,
                published_on=today + dt.timedelta(days=days),
            )
        campaigns[item["slug"]] = campaign

    people = list(Person.objects.filter(memberships__isnull=False, organisation__isnull=False).distinct()[:12])
    for index, (kind, title, days, institution, campaign, ask, outcome, follow_ups) in enumerate(ENGAGEMENTS):
        target = Institution.objects.filter(slug=institution).first()
        engagement = Engagement.objects.create(
            kind=kind,
            title=title,
            date=today + dt.timedelta(days=days),
            institution=target,
            campaign=campaigns.get(campaign),
            ask=ask,
            outcome=outcome,
            visibility=Visibility.MEMBERS,
        )
        if target is not None:
            engagement.contacts.set(target.contacts.all()[:1])
        taking_part = people[index * 2 : index * 2 + 2]
        engagement.participants.set(taking_part)
        engagement.organisations.set({p.organisation for p in taking_part})
        for what, due, done in follow_ups:
            FollowUp.objects.create(
                engagement=engagement,
                what=what,
                due=today + dt.timedelta(days=due),
                done=done,
                owner=taking_part[0] if taking_part else None,
            )

    for slug, group in groups.items():
        Meeting.objects.create(
            group=group,
            title="Monthly call",
            starts_at=now - dt.timedelta(days=21),
            place="",
            online_url="https://meet.example.org/rare-" + slug,
            agenda="1. Round of updates\n2. Action plan",
            notes="Agreed to update the actions we own before the steering group meets.",
        )
        Meeting.objects.create(
            group=group,
            title="Planning meeting",
            starts_at=now + dt.timedelta(days=9),
            place="Brussels",
            agenda="1. Campaign timeline\n2. Who meets whom",
        )
    return made


@transaction.atomic
def remove_demo_plan() -> None:
    """Delete what `load_demo_plan` made (meetings go with the demo's working groups)."""
    priorities = [title for title, _ in PLAN]
    Action.objects.filter(objective__priority__title__in=priorities).delete()
    PriorityIssue.objects.filter(title__in=priorities).delete()
    Engagement.objects.filter(title__in=[item[1] for item in ENGAGEMENTS]).delete()
    Campaign.objects.filter(slug__in=[item["slug"] for item in CAMPAIGNS]).delete()
