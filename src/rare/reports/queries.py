"""Reads of targeted messages: who a segment reaches, the team's list, and how the emails went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from rare.alliance.models import Action, ActionChange, Campaign, Engagement, Signature, Statement
from rare.core.models import Delivery, EmailState
from rare.learning.assessments.queries import cohort_growth
from rare.learning.feedback.models import ANONYMITY_THRESHOLD, AnonymousAnswer, FeedbackForm, NamedAnswer
from rare.programme.models import Attendance, Membership, Programme, Registration, Session
from rare.reports.models import ExportJob, FunderReport, Message
from rare.solidarity import queries as solidarity_queries
from rare.solidarity.models import Alert, Pledge

MESSAGES_PER_PAGE = 25
PREVIEW_NAMES = 20


def dedupe_key(message: Message) -> str:
    return f"message.sent:{message.pk}"


def segment_users(message: Message) -> QuerySet:
    """Active accounts of the people in the message's segment (not yet filtered by visibility)."""
    memberships = Membership.objects.filter(programme_id=message.programme_id, person__user=OuterRef("pk"))
    if message.roles:
        memberships = memberships.filter(role__in=message.roles)
    users = get_user_model().objects.filter(is_active=True).filter(Exists(memberships))
    if message.countries:
        users = users.filter(person__country__in=message.countries)
    if message.working_group_id is not None:
        group = message.working_group
        users = users.filter(
            Q(person__in=group.members.values("pk")) | Q(person__organisation__in=group.organisations.values("pk"))
        )
    if message.camp_id is not None:
        registrations = Registration.objects.filter(camp_id=message.camp_id, person__user=OuterRef("pk"))
        if message.registration_statuses:
            registrations = registrations.filter(status__in=message.registration_statuses)
        users = users.filter(Exists(registrations))
    return users.order_by("pk")


def preview(message: Message) -> tuple[int, list]:
    """How many the segment reaches now, and the first names in it (two queries)."""
    users = segment_users(message)
    sample = list(users.select_related("person").order_by("person__name", "pk")[:PREVIEW_NAMES])
    return users.count(), sample


def message_list(user) -> QuerySet:
    return Message.objects.visible_to(user).select_related("programme", "created_by")


def delivery_status(message: Message) -> dict[str, int]:
    """Emails of a sent message by state, in one query (states with none are 0)."""
    counts = dict.fromkeys(EmailState.values, 0)
    rows = (
        Delivery.objects.filter(notice__dedupe_key=dedupe_key(message))
        .values("email_state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["email_state"]] = row["n"]
    return counts


# -- Key figures of the two strategic objectives ---------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def contains(self, field: str) -> Q:
        """Rows whose time `field` falls on a day of the period (both ends included), in the current
        time zone.

        Written as a range of instants (from the first day's local midnight up to, not including, the
        midnight after the last day) rather than as `field__date__range`: the same rows, but a
        comparison the database can answer from an index on `field`, where taking the date of every
        row first meant reading the whole table (a million pledges at europe scale)."""
        return Q(**{f"{field}__gte": self.first_instant(), f"{field}__lt": self.instant_after()})

    def first_instant(self) -> dt.datetime:
        """The local midnight the period starts at."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    def instant_after(self) -> dt.datetime:
        """The local midnight after the period's last day."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    def quarters(self) -> list[dt.date]:
        """The first day of every calendar quarter the period touches."""
        first = dt.date(self.start.year, 3 * ((self.start.month - 1) // 3) + 1, 1)
        found = []
        while first <= self.end:
            found.append(first)
            month = first.month + 3
            first = dt.date(first.year + (month > 12), (month - 1) % 12 + 1, 1)
        return found


def default_period(programme: Programme) -> Period:
    return Period(programme.starts_on, programme.ends_on)


@dataclass
class CompetencyGrowth:
    name: str
    first: float | None
    latest: float | None
    change: float | None
    attended: int


@dataclass
class Capacity:
    sessions_held: int
    participants: int
    attendances: int
    attendance_rate: float | None  # attendances / (sessions held x participants)
    feedback_answers: int
    feedback_average: float | None  # overall rating, 1-5
    growth: list[CompetencyGrowth]
    assessments_answered: int


@dataclass
class Alliance:
    actions: int
    actions_done: int
    actions_late: int
    actions_without_owner: int
    campaigns: int
    engagements: int
    statements_published: int
    signatures: int
    alerts: int
    alerts_answered: int
    median_first_response: dt.timedelta | None
    pledges: int
    pledges_done: int
    cross_border_actions: int
    cross_border_campaigns: int
    cross_border_alerts: int

    @property
    def cross_border(self) -> int:
        return self.cross_border_actions + self.cross_border_campaigns + self.cross_border_alerts


@dataclass
class Quarter:
    starts_on: dt.date
    sessions: int = 0
    attendances: int = 0
    actions_done: int = 0
    engagements: int = 0
    pledges: int = 0


@dataclass
class KeyFigures:
    programme: Programme
    period: Period
    capacity: Capacity
    alliance: Alliance
    quarters: list[Quarter]


def _feedback(programme: Programme, period: Period) -> tuple[int, float | None]:
    """Answers and the average overall rating of the programme's feedback forms opened in the period.

    An anonymous form counts only once ANONYMITY_THRESHOLD people answered it, as on its results page."""
    forms = FeedbackForm.objects.filter(
        Q(session__camp__programme=programme) | Q(camp__programme=programme), period.contains("opens_at")
    )
    anonymous_counts = AnonymousAnswer.objects.filter(form=OuterRef("pk")).order_by().values("form")
    shown_anonymous = forms.filter(anonymous=True).annotate(
        n=Subquery(anonymous_counts.annotate(c=Count("pk")).values("c")[:1])
    )
    shown_anonymous = shown_anonymous.filter(n__gte=ANONYMITY_THRESHOLD).values("pk")
    named = NamedAnswer.objects.filter(form__in=forms.values("pk")).aggregate(n=Count("pk"), total=Sum("overall"))
    anonymous = AnonymousAnswer.objects.filter(form__in=shown_anonymous).aggregate(n=Count("pk"), total=Sum("overall"))
    answers = (named["n"] or 0) + (anonymous["n"] or 0)
    total = (named["total"] or 0) + (anonymous["total"] or 0)
    return answers, (round(total / answers, 1) if answers else None)


def capacity_figures(programme: Programme, period: Period) -> Capacity:
    today = timezone.localdate()
    held = Session.objects.filter(period.contains("starts_at"), camp__programme=programme, starts_at__date__lte=today)
    participants = (
        Membership.objects.filter(programme=programme, role__in=[Membership.Role.PARTICIPANT, Membership.Role.ALUMNI])
        .values("person")
        .distinct()
        .count()
    )
    sessions_held = held.count()
    attendances = Attendance.objects.filter(session__in=held.values("pk"), present=True).count()
    possible = sessions_held * participants
    answers, average = _feedback(programme, period)
    growth = cohort_growth(programme)
    return Capacity(
        sessions_held=sessions_held,
        participants=participants,
        attendances=attendances,
        attendance_rate=round(attendances / possible, 2) if possible else None,
        feedback_answers=answers,
        feedback_average=average,
        growth=[
            CompetencyGrowth(
                name=row.competency.name, first=row.first, latest=row.latest, change=row.change, attended=row.attended
            )
            for row in growth.rows
        ],
        assessments_answered=sum(growth.answered.values()),
    )


def _cross_border(queryset: QuerySet, organisations: str) -> int:
    """How many rows join organisations from at least two countries."""
    return (
        queryset.order_by()
        .annotate(countries=Count(f"{organisations}__country", distinct=True))
        .filter(countries__gte=2)
        .count()
    )


def alliance_figures(user, period: Period) -> Alliance:
    """The alliance's joint work in the period, counted over what `user` may see."""
    today = timezone.localdate()
    actions = Action.objects.visible_to(user)
    in_period = actions.filter(Q(due_date__range=(period.start, period.end)) | period.contains("updated_at"))
    done = actions.filter(
        Exists(
            ActionChange.objects.filter(
                period.contains("at"),
                action=OuterRef("pk"),
                field="status",
                after=Action.Status.DONE,
            )
        )
    )
    late = actions.exclude(status__in=Action.CLOSED).filter(due_date__lt=min(today, period.end))
    campaigns = Campaign.objects.visible_to(user).filter(
        Q(starts_on__lte=period.end) | Q(starts_on__isnull=True), Q(ends_on__gte=period.start) | Q(ends_on__isnull=True)
    )
    engagements = Engagement.objects.visible_to(user).filter(date__range=(period.start, period.end))
    statements = Statement.objects.visible_to(user).filter(
        period.contains("published_at"), status=Statement.Status.PUBLISHED
    )
    alerts = solidarity_queries.coverage(user).filter(period.contains("created_at")).order_by()
    alert_counts = alerts.aggregate(alerts=Count("pk"), answered=Count("pk", filter=Q(first_pledge_at__isnull=False)))
    pledges = Pledge.objects.filter(alert__in=Alert.objects.visible_to(user).values("pk")).filter(
        period.contains("created_at")
    )
    live_pledges = pledges.exclude(status=Pledge.Status.WITHDRAWN)
    return Alliance(
        actions=in_period.count(),
        actions_done=done.count(),
        actions_late=late.count(),
        actions_without_owner=in_period.filter(~Exists(Action.owners.through.objects.filter(action=OuterRef("pk"))))
        .exclude(status__in=Action.CLOSED)
        .count(),
        campaigns=campaigns.count(),
        engagements=engagements.count(),
        statements_published=statements.count(),
        signatures=Signature.objects.filter(statement__in=statements.values("pk")).count(),
        alerts=alert_counts["alerts"],
        alerts_answered=alert_counts["answered"],
        median_first_response=solidarity_queries.median_time_to_first_pledge(alerts, alert_counts["answered"]),
        pledges=live_pledges.count(),
        pledges_done=live_pledges.filter(status=Pledge.Status.DONE).count(),
        cross_border_actions=_cross_border(in_period, "owners"),
        cross_border_campaigns=_cross_border(campaigns, "organisations"),
        cross_border_alerts=_cross_border(
            Alert.objects.visible_to(user).filter(
                period.contains("created_at"), Exists(live_pledges.filter(alert=OuterRef("pk")))
            ),
            "pledges__organisation",
        ),
    )


def _per_quarter(queryset: QuerySet, field: str) -> dict[dt.date, int]:
    rows = queryset.order_by().annotate(q=TruncQuarter(field)).values("q").annotate(n=Count("pk")).values_list("q", "n")
    found: dict[dt.date, int] = {}
    for when, n in rows:
        if when is None:
            continue
        day = when.date() if isinstance(when, dt.datetime) else when
        found[day] = found.get(day, 0) + n
    return found


def quarterly(programme: Programme, user, period: Period) -> list[Quarter]:
    """The activity of each quarter of the period (five grouped queries)."""
    sessions = Session.objects.filter(period.contains("starts_at"), camp__programme=programme)
    series = {
        "sessions": _per_quarter(sessions, "starts_at"),
        "attendances": _per_quarter(
            Attendance.objects.filter(session__in=sessions.values("pk"), present=True), "session__starts_at"
        ),
        "actions_done": _per_quarter(
            ActionChange.objects.filter(
                period.contains("at"),
                action__in=Action.objects.visible_to(user).values("pk"),
                field="status",
                after=Action.Status.DONE,
            ),
            "at",
        ),
        "engagements": _per_quarter(
            Engagement.objects.visible_to(user).filter(date__range=(period.start, period.end)), "date"
        ),
        "pledges": _per_quarter(
            Pledge.objects.filter(alert__in=Alert.objects.visible_to(user).values("pk")).filter(
                period.contains("created_at")
            ),
            "created_at",
        ),
    }
    return [
        Quarter(starts_on=start, **{name: counts.get(start, 0) for name, counts in series.items()})
        for start in period.quarters()
    ]


def key_figures(programme: Programme, user, period: Period | None = None) -> KeyFigures:
    """Every figure of the dashboard and the funder report, in a fixed number of queries."""
    period = period or default_period(programme)
    return KeyFigures(
        programme=programme,
        period=period,
        capacity=capacity_figures(programme, period),
        alliance=alliance_figures(user, period),
        quarters=quarterly(programme, user, period),
    )


def funder_reports_of(user, limit: int = 10) -> list[FunderReport]:
    """The member's latest funder reports (only they may open them)."""
    return list(FunderReport.objects.filter(requested_by=user).select_related("programme")[:limit])


def export_jobs_of(user, limit: int = 10) -> list[ExportJob]:
    """The member's latest background exports (only they may open them)."""
    return list(ExportJob.objects.filter(requested_by=user)[:limit])
