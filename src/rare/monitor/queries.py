"""Reads of the monitor, each in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, QuerySet, Subquery

from rare.core.visibility import Visibility
from rare.monitor.models import CountryRating, Measure

MEASURES_PER_PAGE = 25
CHUNK = 500


def current_ratings() -> list[CountryRating]:
    """The latest rating of every country that has one, by country code (one query)."""
    latest = CountryRating.objects.filter(country=OuterRef("country")).order_by("-rated_on").values("rated_on")[:1]
    return list(CountryRating.objects.filter(rated_on=Subquery(latest)).order_by("country"))


def rating_history(code: str) -> list[CountryRating]:
    """Every rating of one country, oldest first (one query); the last one is the current rating."""
    return list(CountryRating.objects.filter(country=code).order_by("rated_on"))


def measures(
    user, *, country: str | None = None, kind: str | None = None, status: str | None = None
) -> QuerySet[Measure]:
    """The measures `user` may see, newest first, narrowed by the filters that are set."""
    found = Measure.objects.visible_to(user)
    if country:
        found = found.filter(country=country)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    return found.order_by("-introduced_on", "pk")


def public_ratings() -> Iterator[CountryRating]:
    """Every rating for the open data, by country and date, read in chunks."""
    return CountryRating.objects.order_by("country", "rated_on", "pk").iterator(chunk_size=CHUNK)


def public_measures() -> Iterator[Measure]:
    """The public measures only, for the open data, by country and date, read in chunks."""
    found = Measure.objects.filter(visibility=Visibility.PUBLIC).order_by("country", "introduced_on", "pk")
    return found.iterator(chunk_size=CHUNK)
