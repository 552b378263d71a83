"""Writes of the monitor: measures, their tactics, spill-over links, and the early warning.

Early warning: a tactic is "seen" in a country when an alert naming it is verified
(`note_verified_alert`, called by `rare.solidarity.services.verify_alert`) or a measure is recorded with
it, given it, or linked to a record that has it as "same tactic" (`set_measure_tactic`, `link_items`).
Each sighting is kept (`TacticSighting`). When a tactic that was already seen elsewhere reaches a country
where it had not been seen, the members there and those who faced it before are warned through
`rare.core.notifications.notify` ("spillover.warning"); `notify` drops anyone who may not see the record.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rare.core.audit import record
from rare.core.notifications import notify
from rare.core.visibility import Visibility
from rare.monitor import queries
from rare.monitor.models import Measure, SpilloverLink, Tactic, TacticSighting, item_date, tactic_key
from rare.programme.rules import is_team
from rare.solidarity.models import Alert
from rare.solidarity.queries import visible_alerts

WARNING_KIND = "spillover.warning"


def _tactic(name: str) -> Tactic | None:
    """The tactic of that name, created on first use; None for an empty name."""
    key = tactic_key(name)
    if not key:
        return None
    tactic, _created = Tactic.objects.get_or_create(key=key, defaults={"name": " ".join(name.split())[:200]})
    return tactic


def _visible(user, item) -> bool:
    if isinstance(item, Alert):
        return visible_alerts(user).filter(pk=item.pk).exists()
    return Measure.objects.visible_to(user).filter(pk=item.pk).exists()


def _side(item) -> str:
    if isinstance(item, Alert):
        return "alert"
    if isinstance(item, Measure):
        return "measure"
    raise TypeError("A spill-over link joins alerts and measures only.")


# -- sightings and warnings -----------------------------------------------------------------------------


def _sight(*, tactic: Tactic, item, actor=None, request=None) -> TacticSighting | None:
    """Record that `tactic` was seen through `item`; warn if it is new to the item's country but was
    seen elsewhere before. None if this item's sighting was already recorded."""
    side = _side(item)
    if TacticSighting.objects.filter(tactic=tactic, **{side: item}).exists():
        return None
    country = item.country.code if hasattr(item.country, "code") else item.country
    seen_here = TacticSighting.objects.filter(tactic=tactic, country=country).exists()
    seen_elsewhere = TacticSighting.objects.filter(tactic=tactic).exclude(country=country).exists()
    sighting = TacticSighting.objects.create(
        tactic=tactic, country=country, seen_on=item_date(item), first_in_country=not seen_here, **{side: item}
    )
    if not seen_here and seen_elsewhere:
        _warn(sighting, target=item, actor=actor, request=request)
    return sighting


def _warn(sighting: TacticSighting, *, target, actor=None, request=None) -> None:
    recipients = queries.warning_recipients(sighting, exclude=getattr(actor, "pk", None))
    notify(
        kind=WARNING_KIND,
        target=target,
        recipients=recipients,
        topic={"category": "spillover", "country": sighting.country.code, "tactic": sighting.tactic.key},
        dedupe_key=f"{WARNING_KIND}:{sighting.tactic_id}:{sighting.country.code}",
    )
    record(
        "spillover.warned",
        actor=actor,
        request=request,
        target=target,
        tactic=sighting.tactic.name,
        country=sighting.country.code,
        candidates=len(recipients),
    )


@transaction.atomic
def note_verified_alert(*, alert: Alert, actor=None, request=None) -> TacticSighting | None:
    """A duty officer verified `alert`: if it names a tactic, that tactic has been seen in its country."""
    tactic = _tactic(alert.tactic)
    if tactic is None or alert.verified_at is None:
        return None
    return _sight(tactic=tactic, item=alert, actor=actor, request=request)


# -- measures -------------------------------------------------------------------------------------------


def _require_team(actor) -> None:
    if not is_team(actor):
        raise PermissionDenied(_("Only the programme team keeps the monitor."))


@transaction.atomic
def record_measure(
    *,
    actor,
    country: str,
    title: str,
    kind: str,
    status: str,
    introduced_on: dt.date,
    summary: str = "",
    source_url: str = "",
    tactic: str = "",
    visibility: str = Visibility.MEMBERS,
    request=None,
) -> Measure:
    """The team records a restrictive measure; with a tactic, it counts as a sighting of that tactic."""
    _require_team(actor)
    measure = Measure.objects.create(
        country=country,
        title=title,
        kind=kind,
        status=status,
        introduced_on=introduced_on,
        summary=summary,
        source_url=source_url,
        visibility=visibility,
        tactic=_tactic(tactic),
    )
    record("measure.recorded", actor=actor, request=request, target=measure, kind=kind, country=country)
    if measure.tactic is not None:
        _sight(tactic=measure.tactic, item=measure, actor=actor, request=request)
    return measure


@transaction.atomic
def set_measure_tactic(*, actor, measure: Measure, tactic: str, request=None) -> Measure:
    """Name (or clear, with "") the tactic a measure uses; a new tactic counts as a sighting."""
    _require_team(actor)
    found = _tactic(tactic)
    before = measure.tactic.name if measure.tactic_id else ""
    measure.tactic = found
    measure.save(update_fields=["tactic"])
    record("measure.tactic_set", actor=actor, request=request, target=measure, before=before, after=tactic)
    if found is not None:
        _sight(tactic=found, item=measure, actor=actor, request=request)
    return measure


def note_saved_measure(*, measure: Measure, actor=None, request=None) -> None:
    """After a measure was saved elsewhere (the admin): count its tactic as seen in its country."""
    if measure.tactic_id is not None:
        with transaction.atomic():
            _sight(tactic=measure.tactic, item=measure, actor=actor, request=request)


# -- spill-over links -------------------------------------------------------------------------------------


def _tactic_of(item) -> Tactic | None:
    if isinstance(item, Alert):
        return Tactic.objects.filter(key=tactic_key(item.tactic)).first() if item.tactic.strip() else None
    return item.tactic


@transaction.atomic
def link_items(*, actor, first, second, kind: str, note: str = "", request=None) -> SpilloverLink:
    """Join two alerts or measures of different countries; the earlier one becomes the source.

    Only the programme team and duty officers link, and only records they may see. Linking a measure
    without a tactic to a record with one as "same tactic" gives the measure that tactic (a sighting)."""
    _require_team(actor)
    if kind not in SpilloverLink.Kind.values:
        raise ValidationError(_("Choose what the two records share."), code="kind")
    for item in (first, second):
        _side(item)
        if not _visible(actor, item):
            raise PermissionDenied
    if first.country == second.country:
        raise ValidationError(_("A spill-over link joins records of two different countries."), code="country")
    source, target = sorted((first, second), key=lambda item: (item_date(item), _side(item), item.pk))
    ends = {
        f"source_{_side(source)}": source,
        f"target_{_side(target)}": target,
    }
    if SpilloverLink.objects.filter(kind=kind, **ends).exists():
        raise ValidationError(_("These two records are already linked this way."), code="duplicate")
    link = SpilloverLink.objects.create(kind=kind, note=note.strip(), created_by=actor, **ends)
    record(
        "spillover.linked",
        actor=actor,
        request=request,
        target=link,
        kind=kind,
        source=f"{_side(source)}:{source.pk}",
        destination=f"{_side(target)}:{target.pk}",
    )
    if kind == SpilloverLink.Kind.TACTIC:
        tactics = [_tactic_of(source), _tactic_of(target)]
        shared = next((tactic for tactic in tactics if tactic is not None), None)
        if shared is not None:
            for item in (source, target):
                if isinstance(item, Measure) and item.tactic_id is None:
                    item.tactic = shared
                    item.save(update_fields=["tactic"])
                    record(
                        "measure.tactic_set", actor=actor, request=request, target=item, before="", after=shared.name
                    )
                    _sight(tactic=shared, item=item, actor=actor, request=request)
    return link


@transaction.atomic
def unlink(*, actor, link: SpilloverLink, request=None) -> None:
    _require_team(actor)
    record(
        "spillover.unlinked",
        actor=actor,
        request=request,
        target=link,
        kind=link.kind,
        source=f"{_side(link.source)}:{link.source.pk}",
        destination=f"{_side(link.target)}:{link.target.pk}",
    )
    link.delete()
