"""Reads of the monitor, each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from rare.core.visibility import Visibility
from rare.monitor.models import CountryRating, Measure, SpilloverLink, TacticSighting
from rare.solidarity.models import Alert
from rare.solidarity.queries import visible_alerts

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


# -- spill-over -----------------------------------------------------------------------------------------

LINKS_PER_PAGE = 30
SIDES = ("source_alert", "source_measure", "target_alert", "target_measure")


def visible_links(user) -> QuerySet[SpilloverLink]:
    """The links `user` may see: both sides visible (each through its own `visible_to`), with both sides
    fetched in the same query."""
    alerts = visible_alerts(user).values("pk")
    measures = Measure.objects.visible_to(user).values("pk")
    both = (Q(source_alert__in=alerts) | Q(source_measure__in=measures)) & (
        Q(target_alert__in=alerts) | Q(target_measure__in=measures)
    )
    return (
        SpilloverLink.objects.filter(both)
        .select_related(*SIDES)
        .annotate(
            source_country=Coalesce("source_alert__country", "source_measure__country"),
            target_country=Coalesce("target_alert__country", "target_measure__country"),
            source_date=Coalesce("source_alert__occurred_on", "source_measure__introduced_on"),
            target_date=Coalesce("target_alert__occurred_on", "target_measure__introduced_on"),
        )
    )


def _touches_country(country: str) -> Q:
    return Q(source_country=country) | Q(target_country=country)


def links(user, *, country: str | None = None, kind: str | None = None) -> QuerySet[SpilloverLink]:
    """The visible links, the latest spread first, narrowed by a country (either side) and a kind."""
    found = visible_links(user)
    if country:
        found = found.filter(_touches_country(country))
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-target_date", "-source_date", "-pk")


def links_of(user, item) -> list[SpilloverLink]:
    """The visible links of one alert or measure, oldest spread first (one query)."""
    side = "alert" if isinstance(item, Alert) else "measure"
    found = visible_links(user).filter(Q(**{f"source_{side}": item}) | Q(**{f"target_{side}": item}))
    return list(found.order_by("target_date", "source_date", "pk"))


def graph_edges(user, *, country: str | None = None, kind: str | None = None) -> list[dict]:
    """The visible links counted by (source country, target country, kind), for the graph (one query)."""
    found = visible_links(user)
    if country:
        found = found.filter(_touches_country(country))
    if kind:
        found = found.filter(kind=kind)
    rows = (
        found.order_by()
        .values("source_country", "target_country", "kind")
        .annotate(count=Count("pk"))
        .order_by("source_country", "target_country", "kind")
    )
    return list(rows)


def link_candidates(user, item, *, limit: int = 200) -> tuple[list[Alert], list[Measure]]:
    """Alerts and measures in other countries that `user` may see, newest first: what `item` may be
    linked to (two queries)."""
    alerts = visible_alerts(user).exclude(country=item.country).order_by("-occurred_on", "-pk")[:limit]
    measures = Measure.objects.visible_to(user).exclude(country=item.country).order_by("-introduced_on", "-pk")
    return list(alerts), list(measures[:limit])


# -- early warning: who is warned when a tactic reaches a new country -------------------------------------


def warning_recipients(sighting: TacticSighting, *, exclude: int | None = None) -> list[int]:
    """The users to warn of a tactic first seen in `sighting.country` (ids, sorted; two queries).

    (a) members whose organisation is in that country; (b) those who faced the tactic before: the
    reporters of earlier alerts with it and the members of the organisations those alerts affected, and
    the members whose organisation is in a country where a measure with it was recorded. Whether each may
    see the record is for `notify` to decide; here only people with a role in a programme are kept.
    """
    earlier = TacticSighting.objects.filter(tactic_id=sighting.tactic_id).exclude(pk=sighting.pk)
    earlier_alerts = earlier.filter(alert__isnull=False).values("alert_id")
    earlier_countries = earlier.filter(measure__isnull=False).values("country")
    reporters = Alert.objects.filter(pk__in=earlier_alerts, reporter__isnull=False).values("reporter_id")
    affected = Alert.affected_organisations.through.objects.filter(alert_id__in=earlier_alerts).values(
        "organisation_id"
    )
    who = (
        Q(person__organisation__country=sighting.country)
        | Q(person__organisation__country__in=earlier_countries)
        | Q(person__organisation__in=affected)
        | Q(pk__in=reporters)
    )
    users = get_user_model().objects.filter(who, is_active=True, person__memberships__isnull=False)
    if exclude is not None:
        users = users.exclude(pk=exclude)
    return sorted(set(users.values_list("pk", flat=True)))


# -- charts over time -------------------------------------------------------------------------------------


def _period_rows(found: QuerySet, *, date_field: str, by: str, group: str) -> list[dict]:
    """Counts of `found` per year (or quarter) and `group` value: one aggregate query."""
    annotations = {"year": ExtractYear(date_field)}
    fields = ["year", group]
    if by == "quarter":
        annotations["month"] = ExtractMonth(date_field)
        fields.insert(1, "month")
    rows = found.order_by().annotate(**annotations).values(*fields).annotate(count=Count("pk"))
    counts: dict[tuple, int] = {}
    for row in rows:
        period = (row["year"], (row["month"] - 1) // 3 + 1) if by == "quarter" else (row["year"],)
        key = (period, row[group])
        counts[key] = counts.get(key, 0) + row["count"]
    return [{"period": period, group: value, "count": count} for (period, value), count in sorted(counts.items())]


def alerts_over_time(
    user,
    *,
    country: str | None = None,
    category: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "year",
) -> list[dict]:
    """Visible alerts per period and category: [{"period": (2024,) or (2024, 2), "category": .., "count": ..}].

    Visitors count verified public alerts only, exactly what they could list."""
    found = visible_alerts(user)
    if country:
        found = found.filter(country=country)
    if category:
        found = found.filter(category=category)
    if start:
        found = found.filter(occurred_on__gte=start)
    if end:
        found = found.filter(occurred_on__lte=end)
    return _period_rows(found, date_field="occurred_on", by=by, group="category")


def measures_over_time(
    user,
    *,
    country: str | None = None,
    kind: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "year",
) -> list[dict]:
    """Visible measures per period and kind, like `alerts_over_time`."""
    found = Measure.objects.visible_to(user)
    if country:
        found = found.filter(country=country)
    if kind:
        found = found.filter(kind=kind)
    if start:
        found = found.filter(introduced_on__gte=start)
    if end:
        found = found.filter(introduced_on__lte=end)
    return _period_rows(found, date_field="introduced_on", by=by, group="kind")


def alerts_by_country(user, *, category: str | None = None, start=None, end=None) -> list[dict]:
    """Visible alerts per country and category (one query), for the chart by country."""
    found = visible_alerts(user)
    if category:
        found = found.filter(category=category)
    if start:
        found = found.filter(occurred_on__gte=start)
    if end:
        found = found.filter(occurred_on__lte=end)
    rows = found.order_by().values("country", "category").annotate(count=Count("pk")).order_by("country", "category")
    return list(rows)
