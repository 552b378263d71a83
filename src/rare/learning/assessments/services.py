"""Writes of the framework and the assessments. Each is one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rare.community.models import Person
from rare.core import audit
from rare.learning.assessments.models import MAX_PRIORITIES, AssessmentRound, Rating, SelfAssessment
from rare.learning.models import Competency
from rare.programme.models import Camp, Membership, Programme, Session

log = logging.getLogger(__name__)

# The default framework (names are stored in the programme's framework; the team may edit them).
DEFAULT_FRAMEWORK = [
    (
        gettext_noop("Advocacy towards EU and international bodies"),
        gettext_noop("Reaching and persuading EU institutions, the Council of Europe, the OSCE and the UN."),
    ),
    (gettext_noop("Strategic litigation"), gettext_noop("Choosing, building and supporting cases that change law.")),
    (gettext_noop("Campaigning and media"), gettext_noop("Campaigns, press work and social media that move people.")),
    (gettext_noop("Public speaking"), gettext_noop("Speaking with confidence on panels, in hearings and interviews.")),
    (gettext_noop("Coalition building"), gettext_noop("Building and keeping alliances across borders and portfolios.")),
    (
        gettext_noop("Digital and physical security"),
        gettext_noop("Protecting people, data and premises against surveillance and attacks."),
    ),
    (gettext_noop("Nonprofit management"), gettext_noop("Leading teams, strategy, governance and resilience.")),
    (gettext_noop("Fundraising"), gettext_noop("Diverse, sustainable and independent funding.")),
    (gettext_noop("Policy analysis"), gettext_noop("Reading laws and policies and proposing alternatives.")),
]
REMIND_EVERY_DAYS = 3  # a participant who has not answered an open round is reminded this often


def _unique_slug(programme: Programme, name: str, *, exclude: int | None = None) -> str:
    base = slugify(name)[:100] or "competency"
    taken = set(Competency.objects.filter(programme=programme).exclude(pk=exclude).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def ensure_default_framework(*, programme: Programme, actor=None, request=None) -> list[Competency]:
    """Give a programme without competencies the default framework; returns the programme's framework."""
    existing = list(Competency.objects.filter(programme=programme))
    if existing:
        return existing
    created = Competency.objects.bulk_create(
        Competency(programme=programme, name=name, slug=slugify(name)[:120], description=description, position=i)
        for i, (name, description) in enumerate(DEFAULT_FRAMEWORK, start=1)
    )
    audit.record("competency.framework_created", actor=actor, request=request, target=programme, count=len(created))
    return list(Competency.objects.filter(programme=programme))


@transaction.atomic
def add_competency(*, programme: Programme, name: str, description: str = "", actor=None, request=None) -> Competency:
    last = Competency.objects.filter(programme=programme).aggregate(m=Max("position"))["m"] or 0
    competency = Competency.objects.create(
        programme=programme,
        name=name,
        slug=_unique_slug(programme, name),
        description=description,
        position=last + 1,
    )
    audit.record("competency.added", actor=actor, request=request, target=competency)
    return competency


@transaction.atomic
def update_competency(*, competency: Competency, name: str, description: str, actor=None, request=None) -> Competency:
    competency.name = name
    competency.description = description
    competency.save(update_fields=["name", "description"])
    audit.record("competency.changed", actor=actor, request=request, target=competency)
    return competency


@transaction.atomic
def move_competency(*, competency: Competency, up: bool, actor=None, request=None) -> None:
    """Swap the competency with its neighbour above (or below); positions are renumbered 1..n."""
    framework = list(Competency.objects.select_for_update().filter(programme_id=competency.programme_id))
    index = next(i for i, c in enumerate(framework) if c.pk == competency.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(framework):
        framework[index], framework[other] = framework[other], framework[index]
    for position, item in enumerate(framework, start=1):
        item.position = position
    Competency.objects.bulk_update(framework, ["position"])
    audit.record("competency.moved", actor=actor, request=request, target=competency, up=up)


@transaction.atomic
def set_retired(*, competency: Competency, retired: bool, actor=None, request=None) -> None:
    competency.retired = retired
    competency.save(update_fields=["retired"])
    audit.record(
        "competency.retired" if retired else "competency.restored", actor=actor, request=request, target=competency
    )


@transaction.atomic
def link_session(*, session: Session, competency: Competency, actor=None, request=None) -> None:
    """Record that the session trains the competency (both of the same programme)."""
    if session.camp.programme_id != competency.programme_id:
        raise ValidationError(_("The session belongs to another programme."))
    session.competencies.add(competency)
    audit.record("competency.session_linked", actor=actor, request=request, target=session, competency=competency.pk)


@transaction.atomic
def create_round(
    *,
    programme: Programme,
    kind: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    camp: Camp | None = None,
    actor=None,
    request=None,
) -> AssessmentRound:
    if kind == AssessmentRound.Kind.AFTER_CAMP and camp is None:
        raise ValidationError(_("Choose the camp this self-assessment follows."))
    if camp is not None and camp.programme_id != programme.pk:
        raise ValidationError(_("The camp belongs to another programme."))
    assessment_round = AssessmentRound.objects.create(
        programme=programme,
        kind=kind,
        camp=camp if kind == AssessmentRound.Kind.AFTER_CAMP else None,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    audit.record("assessment_round.created", actor=actor, request=request, target=assessment_round, kind=kind)
    return assessment_round


@transaction.atomic
def submit_assessment(
    *,
    assessment_round: AssessmentRound,
    person: Person,
    ratings: Mapping[int, int],
    expectations: str = "",
    priorities: Iterable[Competency] = (),
    actor=None,
    request=None,
    now: dt.datetime | None = None,
) -> SelfAssessment:
    """Save (or replace) the person's answer to an open round: a level 1-5 for every rated competency id."""
    if not assessment_round.is_open(now):
        raise ValidationError(_("This assessment is closed."))
    framework = {c.pk: c for c in Competency.objects.filter(programme_id=assessment_round.programme_id, retired=False)}
    unknown = set(ratings) - set(framework)
    if unknown or any(not 1 <= int(level) <= 5 for level in ratings.values()):
        raise ValidationError(_("A rating is not on the scale or not in the framework."))
    priorities = list(priorities)
    if len(priorities) > MAX_PRIORITIES or any(p.pk not in framework for p in priorities):
        raise ValidationError(
            _("Choose up to %(count)d priority skills from the framework.") % {"count": MAX_PRIORITIES}
        )
    answer, created = SelfAssessment.objects.select_for_update().get_or_create(
        round=assessment_round, person=person, defaults={"submitted_by": actor}
    )
    if assessment_round.is_needs:
        answer.expectations = expectations
        answer.save(update_fields=["expectations", "updated_at"])
        answer.priorities.set(priorities)
    elif not created:
        answer.save(update_fields=["updated_at"])
    answer.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(assessment=answer, competency_id=pk, level=int(level)) for pk, level in sorted(ratings.items())
    )
    audit.record(
        "assessment.submitted" if created else "assessment.changed",
        actor=actor,
        request=request,
        target=answer,
        round=assessment_round.pk,
        ratings=len(ratings),
    )
    return answer


def participants_of(programme_id: int):
    """People taking part in the programme (participants and alumni)."""
    return Person.objects.filter(
        memberships__programme_id=programme_id,
        memberships__role__in=[Membership.Role.PARTICIPANT, Membership.Role.ALUMNI],
    ).distinct()


@transaction.atomic
def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Notify every participant with an account who has not answered an open round.

    The dedupe key names the round, the person and the reminder period (REMIND_EVERY_DAYS days), so a
    person hears about a round at most once per period however often this runs. Returns notices asked for.
    """
    try:
        from rare.core.notifications import notify
    except ImportError:
        log.warning("No notifications module: assessment reminders are not sent.")
        return 0
    now = now or timezone.now()
    period = timezone.localdate(now).toordinal() // REMIND_EVERY_DAYS
    sent = 0
    rounds = AssessmentRound.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("programme", "camp")
    for assessment_round in rounds:
        missing = list(
            participants_of(assessment_round.programme_id)
            .filter(user__isnull=False, user__is_active=True)
            .exclude(self_assessments__round=assessment_round)
            .values_list("pk", "user_id")
        )
        for person_id, user_id in missing:
            notify(
                kind="learning.assessment_due",
                target=assessment_round,
                recipients=[user_id],
                topic={"category": "learning"},
                dedupe_key=f"learning.assessment_due:{assessment_round.pk}:{person_id}:{period}",
            )
            sent += 1
    if sent:
        audit.record("assessment.reminded", actor=None, count=sent)
    return sent
