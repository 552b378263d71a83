"""Reads of alerts. Every read applies visibility; visitors see only public alerts once verified."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet

from rare.core.visibility import kept_for_viewer
from rare.programme.rules import is_member
from rare.solidarity.models import Alert, AlertEvidence, AlertUpdate, Pledge

ALERTS_PER_PAGE = 20


def visible_alerts(user) -> QuerySet[Alert]:
    """The alerts `user` may see. Someone without a role sees public alerts only after verification."""
    alerts = Alert.objects.visible_to(user)
    if not is_member(user):
        alerts = alerts.filter(verified_at__isnull=False)
    return alerts


def alert_list(user, *, country: str = "", category: str = "", status: str = "") -> QuerySet[Alert]:
    alerts = visible_alerts(user)
    if country:
        alerts = alerts.filter(country=country)
    if category:
        alerts = alerts.filter(category=category)
    if status:
        alerts = alerts.filter(status=status)
    # Lists never show the confidential details: they are neither read nor decrypted for nothing.
    return alerts.defer("details").order_by("-occurred_on", "-pk")


def alert_for_detail(user) -> QuerySet[Alert]:
    """Alerts with what their page shows, for `get_visible_or_404` (which adds `visible_to(user)`)."""
    updates = AlertUpdate.objects.select_related("author").order_by("created_at", "pk")
    alerts = Alert.objects.all()
    if not is_member(user):
        alerts = alerts.filter(verified_at__isnull=False)
    pledges = Pledge.objects.select_related("organisation", "person").order_by("created_at", "pk")
    evidence = AlertEvidence.objects.order_by("created_at", "pk")
    return alerts.prefetch_related(
        "affected_organisations",
        Prefetch("updates", queryset=updates, to_attr="timeline"),
        Prefetch("pledges", queryset=pledges, to_attr="pledge_list"),
        Prefetch("evidence", queryset=evidence, to_attr="evidence_list"),
    )


def verification_queue(user) -> QuerySet[Alert]:
    return Alert.objects.visible_to(user).filter(status=Alert.Status.REPORTED).order_by("created_at", "pk")


def published_alerts(limit: int = 30) -> list[Alert]:
    """Public, verified alerts for the feed: exactly what a visitor may see."""
    from django.contrib.auth.models import AnonymousUser

    return list(visible_alerts(AnonymousUser()).defer("details").order_by("-verified_at", "-pk")[:limit])


def visible_pledges(user) -> QuerySet[Pledge]:
    """Pledges on the alerts `user` may see (a pledge is as visible as its alert)."""
    return Pledge.objects.filter(alert__in=visible_alerts(user).values("pk"))


def pledge_of_alert(alert: Alert, pledge_id: int) -> Pledge:
    """One pledge of an alert already opened through visibility; DoesNotExist otherwise."""
    return Pledge.objects.select_related("alert", "organisation").get(alert=alert, pk=pledge_id)


# --- Coverage: which alerts lack responses, how fast the alliance answered ---------------------------

COVERED = (Alert.Status.VERIFIED, Alert.Status.ACTIVE)
FEW_PLEDGES = 2  # fewer live pledges than this is "few"


def coverage(user) -> QuerySet[Alert]:
    """Verified and active alerts `user` sees, those with fewest pledges first.

    Each alert carries its counters `live_pledges` (pledged or done), `done_pledges` and
    `first_pledge_at` (the first pledge that was not withdrawn), kept on the alert by
    `rare.solidarity.models.count_pledges`, so the list sorts without counting the pledges again.
    """
    return (
        Alert.objects.visible_to(user)
        .filter(status__in=COVERED)
        .order_by("live_pledges", "done_pledges", "created_at", "pk")
    )


@dataclass(frozen=True)
class CoverageSummary:
    alerts: int
    without_response: int
    few_responses: int
    answered: int
    median_to_first: dt.timedelta | None


_WAIT = ExpressionWrapper(F("first_pledge_at") - F("created_at"), output_field=DurationField())


def median_time_to_first_pledge(alerts: QuerySet[Alert], answered: int) -> dt.timedelta | None:
    """The median time from report to first pledge over the `answered` alerts of `alerts` that have one.

    The database sorts the waits and hands over the middle one or two, so the memory and the rows sent
    stay the same however many alerts there are.
    """
    if not answered:
        return None
    middle = (answered - 1) // 2
    waits = list(
        alerts.filter(first_pledge_at__isnull=False)
        .annotate(wait=_WAIT)
        .order_by("wait", "pk")
        .values_list("wait", flat=True)[middle : answered // 2 + 1]
    )
    return statistics.median(waits) if waits else None


COVERAGE_SUMMARY_SECONDS = 60  # how long the totals above the coverage list are kept for one viewer


def coverage_summary(user, *, fresh: bool = False) -> CoverageSummary:
    """Totals over every alert of `coverage(user)` in one query, and the median time from report to first
    pledge over the alerts that have one (a second query).

    Both read every verified alert the viewer may see, a few hundred milliseconds with a Europe-wide
    network, so the totals (never the list below them, which stays live) are kept a minute per viewer
    (`rare.core.visibility.kept_for_viewer`); `fresh=True` counts now.
    """

    def count() -> CoverageSummary:
        alerts = coverage(user).order_by()
        totals = alerts.aggregate(
            alerts=Count("pk"),
            without_response=Count("pk", filter=Q(live_pledges=0)),
            few_responses=Count("pk", filter=Q(live_pledges__gt=0, live_pledges__lt=FEW_PLEDGES)),
            answered=Count("pk", filter=Q(first_pledge_at__isnull=False)),
        )
        return CoverageSummary(**totals, median_to_first=median_time_to_first_pledge(alerts, totals["answered"]))

    if fresh:
        return count()
    return kept_for_viewer("coverage-summary", user, count, seconds=COVERAGE_SUMMARY_SECONDS)
