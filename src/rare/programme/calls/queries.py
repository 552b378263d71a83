"""Reads of calls for applications, each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from rare.programme.models import Application, Call, Review

Status = Application.Status


@dataclass(frozen=True)
class PublicCalls:
    open: list[Call]
    upcoming: list[Call]
    past: list[Call]


def public_calls(now: dt.datetime | None = None) -> PublicCalls:
    """Every call, sorted into open (closing soonest first), not yet open, and past (latest first)."""
    now = now or timezone.now()
    calls = list(Call.objects.select_related("programme").order_by("deadline"))
    return PublicCalls(
        open=[c for c in calls if c.opens_at <= now < c.deadline],
        upcoming=[c for c in calls if now < c.opens_at],
        past=[c for c in reversed(calls) if c.deadline <= now],
    )


def call_by_slug(slug: str) -> Call:
    """The call, or Call.DoesNotExist."""
    return Call.objects.select_related("programme").get(slug=slug)


def calls_for_team() -> QuerySet[Call]:
    """Every call with its number of applications per status."""
    counts = {
        f"count_{status}": Count("applications", filter=Q(applications__status=status)) for status in Status.values
    }
    return (
        Call.objects.select_related("programme")
        .annotate(count_all=Count("applications"), **counts)
        .order_by("-deadline")
    )


def status_counts(call: Call) -> dict[str, int]:
    """How many applications to the call hold each status (every status present, zero included)."""
    found = dict(call.applications.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in Status.values}


def applications_for_team(
    call: Call, *, reviewer, status: str = "", country: str = "", search: str = ""
) -> QuerySet[Application]:
    """The call's applications with their number of reviews, average score and this reviewer's own score.

    The template shows the average only beside the reviewer's own score: before scoring, a reviewer
    sees how many colleagues have scored, never what they gave.
    """
    own = Review.objects.filter(application=OuterRef("pk"), reviewer=reviewer).values("score")[:1]
    rows = (
        Application.objects.filter(call=call)
        .select_related("invitation")
        .annotate(review_count=Count("reviews"), average_score=Avg("reviews__score"), own_score=Subquery(own))
        .order_by("-submitted_at", "-pk")
    )
    if status:
        rows = rows.filter(status=status)
    if country:
        rows = rows.filter(country=country)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(organisation_name__icontains=search))
    return rows


def application_for_review(call: Call, pk: int) -> Application:
    """One application of the call with its topics and reviews (reviewers included), or DoesNotExist."""
    reviews = Review.objects.select_related("reviewer").order_by("created_at")
    return (
        Application.objects.select_related("call__programme", "invitation", "decided_by")
        .prefetch_related("topics", Prefetch("reviews", queryset=reviews))
        .get(call=call, pk=pk)
    )


def countries_applied_from(call: Call) -> list[str]:
    """The country codes the call's applications come from."""
    return sorted(set(call.applications.order_by().values_list("country", flat=True)))


def application_ids(call: Call) -> list[int]:
    """The ids a bulk action on this call's list may name."""
    return list(call.applications.values_list("pk", flat=True))


def applications_of(call: Call, ids) -> list[Application]:
    """The chosen applications, only ever of this call."""
    return list(Application.objects.filter(call=call, pk__in=ids))
