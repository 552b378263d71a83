"""Reads of alerts. Every read applies visibility; visitors see only public alerts once verified."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from rare.programme.rules import is_member
from rare.solidarity.models import Alert, AlertUpdate

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
    return alerts.order_by("-occurred_on", "-pk")


def alert_for_detail(user) -> QuerySet[Alert]:
    """Alerts with what their page shows, for `get_visible_or_404` (which adds `visible_to(user)`)."""
    updates = AlertUpdate.objects.select_related("author").order_by("created_at", "pk")
    alerts = Alert.objects.all()
    if not is_member(user):
        alerts = alerts.filter(verified_at__isnull=False)
    return alerts.prefetch_related("affected_organisations", Prefetch("updates", queryset=updates, to_attr="timeline"))


def verification_queue(user) -> QuerySet[Alert]:
    return Alert.objects.visible_to(user).filter(status=Alert.Status.REPORTED).order_by("created_at", "pk")


def published_alerts(limit: int = 30) -> list[Alert]:
    """Public, verified alerts for the feed: exactly what a visitor may see."""
    from django.contrib.auth.models import AnonymousUser

    return list(visible_alerts(AnonymousUser()).order_by("-verified_at", "-pk")[:limit])
