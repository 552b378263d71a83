"""Demo data of feedback and the resource library: anonymous session feedback with answers, a camp
evaluation, one form still open for the demo participant, and a shelf of resources. All fictional.
Loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rare.community.models import Person
from rare.core.visibility import Visibility
from rare.demo import data
from rare.learning.feedback import queries, services
from rare.learning.library import services as library_services
from rare.learning.models import Competency, FeedbackForm, Resource
from rare.programme.camps.demo import _tiny_pdf
from rare.programme.models import Camp, Session

DEMO_PARTICIPANT = "participant@example.org"

COMMENTS = [
    "The case studies from other countries were the most useful part.",
    "More time for questions, please; the panel ran long.",
    "I will use the template for our next submission.",
    "Good mix of theory and practice.",
    "",
    "Too much in one afternoon, but worth it.",
    "",
    "I would like the slides in advance next time.",
]
CAMP_COMMENTS = [
    "The venue was easy to reach and the rooms were quiet.",
    "Some sessions overlapped with the working-group time.",
    "Best camp so far: we left with a concrete plan.",
    "",
    "Please keep the evenings free for informal talks.",
]

# (title, kind, url or file name, language, visibility, competency slugs, words of a session title)
RESOURCES = [
    (
        "Rule of law report: how the annual cycle works",
        "link",
        "https://commission.europa.eu/strategy-and-policy/policies/justice-and-fundamental-rights/upholding-rule-law/rule-law/rule-law-mechanism_en",
        "en",
        Visibility.PUBLIC,
        ["advocacy-towards-eu-and-international-bodies", "policy-analysis"],
        "",
    ),
    (
        "Civic space in the EU: the agency's reports",
        "link",
        "https://fra.europa.eu/en/themes/civic-space",
        "en",
        Visibility.PUBLIC,
        ["policy-analysis"],
        "",
    ),
    (
        "UN special procedures: sending a communication",
        "link",
        "https://www.ohchr.org/en/special-procedures-human-rights-council",
        "en",
        Visibility.PUBLIC,
        ["advocacy-towards-eu-and-international-bodies"],
        "UN special",
    ),
    (
        "Council of Europe: the Commissioner's work on defenders",
        "link",
        "https://www.coe.int/en/web/commissioner/human-rights-defenders",
        "en",
        Visibility.PUBLIC,
        ["coalition-building"],
        "",
    ),
    (
        "Litigation checklist: before you go to court",
        "file",
        "litigation-checklist.pdf",
        "en",
        Visibility.MEMBERS,
        ["strategic-litigation"],
        "litigation",
    ),
    (
        "Press statement template for an attack on an NGO",
        "file",
        "press-statement-template.md",
        "en",
        Visibility.MEMBERS,
        ["campaigning-and-media"],
        "press",
    ),
    (
        "Sicherheitsplan für kleine Teams",
        "file",
        "sicherheitsplan.md",
        "de",
        Visibility.MEMBERS,
        ["digital-and-physical-security"],
        "security",
    ),
    (
        "Adománygyűjtési ötletek civil szervezeteknek",
        "file",
        "adomanygyujtes.md",
        "hu",
        Visibility.MEMBERS,
        ["fundraising"],
        "funding",
    ),
    (
        "Meeting an MEP: one-page brief template",
        "file",
        "mep-brief-template.md",
        "en",
        Visibility.MEMBERS,
        ["advocacy-towards-eu-and-international-bodies", "public-speaking"],
        "MEPs",
    ),
    (
        "Facilitators' notes on the threat mapping exercise",
        "file",
        "threat-mapping-notes.md",
        "en",
        Visibility.RESTRICTED,
        ["digital-and-physical-security"],
        "Threat",
    ),
]


def _rating(*seed: int) -> int:
    """A plausible rating between 3 and 5, mostly 4, derived from the numbers given."""
    return (3, 4, 4, 5, 4, 5, 3, 4)[sum(seed) % 8]


def _answer_all(form: FeedbackForm, people: list[Person], comments: list[str], skip: set[int]) -> int:
    answered = 0
    for index, person in enumerate(people):
        if person.pk in skip or index % 4 == 3:
            continue  # not everyone answers
        competencies = [c.pk for c in form.session.competencies.all()] if form.session_id else []
        services.submit_answer(
            form=form,
            person=person,
            overall=_rating(index, form.pk),
            usefulness=None if form.is_camp_evaluation else _rating(index, 3),
            logistics=_rating(index, 1) if form.is_camp_evaluation else None,
            sessions=_rating(index, 2) if form.is_camp_evaluation else None,
            learned={str(pk): _rating(index, pk) for pk in competencies},
            comment=comments[index % len(comments)],
        )
        answered += 1
    return answered


def _feedback(team) -> int:
    camps = list(Camp.objects.filter(programme__slug=data.PROGRAMME["slug"]).order_by("number"))
    if not camps or FeedbackForm.objects.filter(camp__in=camps).exists():
        return 0
    if FeedbackForm.objects.filter(session__camp__in=camps).exists():
        return 0
    today = timezone.localdate()
    past = [c for c in camps if c.ends_on < today]
    if not past:
        return 0
    demo_people = set(Person.objects.filter(user__email=DEMO_PARTICIPANT).values_list("pk", flat=True))
    now = timezone.now()
    created = 0
    plans = []
    for camp in past[-2:]:
        for session in Session.objects.filter(camp=camp).order_by("starts_at", "pk")[:2]:
            plans.append(("session", session, camp))
    plans.append(("camp", past[-1], past[-1]))
    for index, (kind, target, camp) in enumerate(plans):
        still_open = index == len(plans) - 2  # one form stays open, and the demo participant has not answered it
        form = services.create_form(
            actor=team,
            session=target if kind == "session" else None,
            camp=target if kind == "camp" else None,
            anonymous=index != 1,  # one named form, to show the difference
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=14),
        )
        people = list(queries.eligible_people(form).order_by("slug"))
        comments = CAMP_COMMENTS if kind == "camp" else COMMENTS
        _answer_all(form, people, comments, skip=demo_people if still_open else set())
        if not still_open:
            closes = timezone.make_aware(dt.datetime.combine(camp.ends_on + dt.timedelta(days=14), dt.time(23, 0)))
            opens = timezone.make_aware(dt.datetime.combine(camp.ends_on, dt.time(18, 0)))
            if closes < now:
                FeedbackForm.objects.filter(pk=form.pk).update(opens_at=opens, closes_at=closes)
        created += 1
    return created


def _content(name: str, title: str) -> tuple[bytes, str]:
    if name.endswith(".pdf"):
        return _tiny_pdf(title), "application/pdf"
    body = f"# {title}\n\nA demo document of the resource library. Replace it with the real one.\n"
    return body.encode(), "text/markdown"


def _resources(team) -> int:
    if Resource.objects.filter(title=RESOURCES[0][0]).exists():
        return 0
    programme_competencies = {c.slug: c for c in Competency.objects.filter(programme__slug=data.PROGRAMME["slug"])}
    sessions = list(Session.objects.filter(camp__programme__slug=data.PROGRAMME["slug"]).order_by("starts_at"))
    added = 0
    for title, kind, target, language, visibility, slugs, words in RESOURCES:
        session = next((s for s in sessions if words and words in s.title), None)
        arguments = {
            "actor": team,
            "title": title,
            "visibility": visibility,
            "language": language,
            "description": "",
            "competencies": [programme_competencies[s] for s in slugs if s in programme_competencies],
            "sessions": [session] if session else [],
        }
        if kind == "link":
            arguments["url"] = target
        else:
            body, content_type = _content(target, title)
            arguments.update(data=body, filename=target, content_type=content_type)
        resource = library_services.add_resource(**arguments)
        if visibility == Visibility.RESTRICTED and session is not None:
            resource.allowed_people.add(*session.speakers.all())
        added += 1
    return added


@transaction.atomic
def load_demo_feedback() -> int:
    """Feedback forms with answers and the resource library; returns how many forms and resources were added."""
    team = get_user_model().objects.filter(email=data.TEAM_ACCOUNT).first()
    return _feedback(team) + _resources(team)
