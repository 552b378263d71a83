"""Demo data of learning: the default framework for the demo programme, the skills its sessions train,
the kick-off needs assessment, baseline and end self-assessments with plausible growth, and a couple of
learning plans. Everything here is fictional. Loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rare.community.models import Person
from rare.demo import data
from rare.learning.assessments.services import ensure_default_framework
from rare.learning.models import AssessmentRound, Competency, LearningPlan, PlanItem, Rating, SelfAssessment
from rare.programme.models import Attendance, Programme, Session

DEMO_PARTICIPANT = "participant@example.org"

# Which default skill a session trains, by words in its title (written for the demo).
TRAINS = {
    "advocacy-towards-eu-and-international-bodies": (
        "EU decides",
        "Commission",
        "MEPs",
        "Parliament",
        "UN special",
        "toolbox",
        "Fundamental rights",
    ),
    "strategic-litigation": ("litigation", "Court", "court", "judicial"),
    "campaigning-and-media": ("Campaign", "press", "newsroom", "story"),
    "public-speaking": ("Speaking", "Pitching", "Side-event"),
    "coalition-building": ("coalitions", "attacked", "alliance", "joint action", "civic intervention"),
    "digital-and-physical-security": ("security", "Threat", "Protecting", "defenders"),
    "nonprofit-management": ("theory of change", "Action plan", "owners"),
    "fundraising": ("Raising money", "funding"),
    "policy-analysis": ("rule-of-law", "monitoring", "brief", "foreign agent", "strategy"),
}

EXPECTATIONS = [
    "Learn how to reach EU institutions without a Brussels office of our own.",
    "Find allies in other countries who face the same laws, and act together.",
    "Get better at speaking to the press when we are under attack.",
    "Understand when going to court helps and when it does not.",
    "Make our small team safer, online and in the office.",
    "Find new funders so that we depend less on one grant.",
]


def _tag_sessions(programme: Programme, framework: dict[str, Competency]) -> None:
    sessions = list(Session.objects.filter(camp__programme=programme).prefetch_related("competencies"))
    through = Session.competencies.through
    links = []
    for session in sessions:
        if session.competencies.all():
            continue
        for slug, words in TRAINS.items():
            if slug in framework and any(word in session.title for word in words):
                links.append(through(session_id=session.pk, competency_id=framework[slug].pk))
    through.objects.bulk_create(links, ignore_conflicts=True)


def _level(seed: int, low: int, high: int) -> int:
    return low + seed % (high - low + 1)


@transaction.atomic
def load_demo_learning() -> int:
    """Load the learning demo for the demo programme; returns how many answers were added."""
    programme = Programme.objects.filter(slug=data.PROGRAMME["slug"]).first()
    if programme is None or AssessmentRound.objects.filter(programme=programme).exists():
        return 0
    ensure_default_framework(programme=programme)
    framework = {c.slug: c for c in Competency.objects.filter(programme=programme)}
    competencies = sorted(framework.values(), key=lambda c: c.position)
    _tag_sessions(programme, framework)

    zone = timezone.get_current_timezone()
    start = programme.starts_on

    def at(day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)

    needs = AssessmentRound.objects.create(
        programme=programme,
        kind=AssessmentRound.Kind.NEEDS,
        opens_at=at(start - dt.timedelta(days=21)),
        closes_at=at(start + dt.timedelta(days=20), 18),
    )
    baseline = AssessmentRound.objects.create(
        programme=programme,
        kind=AssessmentRound.Kind.BASELINE,
        opens_at=at(start - dt.timedelta(days=21)),
        closes_at=at(start + dt.timedelta(days=20), 18),
    )
    end = AssessmentRound.objects.create(
        programme=programme,
        kind=AssessmentRound.Kind.END,
        opens_at=at(programme.ends_on - dt.timedelta(days=60)),
        closes_at=at(programme.ends_on, 18),
    )

    people = list(Person.objects.filter(slug__in=[slugify(m.name) for m in data.PARTICIPANTS]).select_related("user"))
    people.sort(key=lambda p: p.slug)
    trained: dict[tuple[int, int], int] = defaultdict(int)  # (person, competency) -> sessions attended
    for person_id, competency_id in Attendance.objects.filter(
        session__camp__programme=programme, present=True, person__in=people
    ).values_list("person_id", "session__competencies"):
        if competency_id:
            trained[(person_id, competency_id)] += 1

    added = 0
    priorities_through = SelfAssessment.priorities.through
    for index, person in enumerate(people):
        demo_account = person.user is not None and person.user.email == DEMO_PARTICIPANT
        answered_end = demo_account or index % 7 != 3  # a few did not answer the end round
        answers = {
            needs: SelfAssessment(round=needs, person=person, expectations=EXPECTATIONS[index % len(EXPECTATIONS)]),
            baseline: SelfAssessment(round=baseline, person=person),
        }
        if answered_end:
            answers[end] = SelfAssessment(round=end, person=person)
        for answer in answers.values():
            answer.save()
        added += len(answers)
        chosen = [competencies[(index + step * 4) % len(competencies)] for step in range(3)]
        priorities_through.objects.bulk_create(
            priorities_through(selfassessment_id=answers[needs].pk, competency_id=c.pk) for c in chosen
        )
        ratings = []
        for number, competency in enumerate(competencies):
            first = _level(index * 3 + number * 5, 1, 3)
            if competency in chosen:
                first = max(1, first - 1)  # what people want to learn is where they feel weakest
            ratings.append(Rating(assessment=answers[needs], competency=competency, level=first))
            ratings.append(Rating(assessment=answers[baseline], competency=competency, level=first))
            if answered_end:
                sessions = trained.get((person.pk, competency.pk), 0)
                growth = (
                    min(2, sessions) + (1 if competency in chosen else 0) - (1 if (index + number) % 11 == 0 else 0)
                )
                ratings.append(
                    Rating(assessment=answers[end], competency=competency, level=max(1, min(5, first + growth)))
                )
        Rating.objects.bulk_create(ratings)

    _load_plans(programme, people, framework)
    return added


def _load_plans(programme: Programme, people: list[Person], framework: dict[str, Competency]) -> None:
    demo = next((p for p in people if p.user is not None and p.user.email == DEMO_PARTICIPANT), None)
    chosen = [p for p in [demo, *people[:1]] if p is not None]
    for person in dict.fromkeys(chosen):
        plan, _created = LearningPlan.objects.get_or_create(person=person, programme=programme)
        litigation = framework.get("strategic-litigation")
        media = framework.get("campaigning-and-media")
        sessions = list(
            Session.objects.filter(camp__programme=programme, competencies__in=[c for c in (litigation, media) if c])
            .distinct()
            .order_by("starts_at")[:3]
        )
        items = [PlanItem(plan=plan, session=session, competency=session.competencies.first()) for session in sessions]
        items.append(
            PlanItem(
                plan=plan,
                title="Read two judgments of the European Court of Human Rights on freedom of association",
                competency=litigation,
                note="Ask the litigation group which ones.",
                done=True,
            )
        )
        items.append(PlanItem(plan=plan, title="Write a press release and ask a peer for feedback", competency=media))
        PlanItem.objects.bulk_create(items)
