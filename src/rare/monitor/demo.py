"""Demo data of the monitor: fictional but plausible ratings for the demo countries over 2019-2024 and a
few measures. Every rating says in its note that it is illustrative. Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from rare.core.visibility import Visibility
from rare.monitor.models import CountryRating, Measure, SpilloverLink, Tactic, TacticSighting, tactic_key

ILLUSTRATIVE = "Illustrative demo rating, not a real assessment."
SOURCE = "RARE demo monitor"

# Country: ratings from 2019 to 2024, one a year (given on 1 March), open .. closed.
HISTORY: dict[str, tuple[str, ...]] = {
    "AT": ("open", "open", "narrowed", "narrowed", "narrowed", "narrowed"),
    "BE": ("open", "open", "open", "open", "narrowed", "narrowed"),
    "BG": ("narrowed", "obstructed", "obstructed", "obstructed", "obstructed", "obstructed"),
    "CZ": ("narrowed", "narrowed", "narrowed", "narrowed", "narrowed", "open"),
    "DE": ("open", "open", "open", "narrowed", "narrowed", "narrowed"),
    "EE": ("open", "open", "open", "open", "open", "open"),
    "ES": ("narrowed", "narrowed", "narrowed", "narrowed", "narrowed", "narrowed"),
    "FR": ("narrowed", "narrowed", "narrowed", "obstructed", "obstructed", "obstructed"),
    "GR": ("narrowed", "narrowed", "obstructed", "obstructed", "obstructed", "obstructed"),
    "HR": ("narrowed", "narrowed", "narrowed", "narrowed", "obstructed", "obstructed"),
    "HU": ("obstructed", "obstructed", "obstructed", "obstructed", "repressed", "repressed"),
    "IE": ("open", "open", "open", "open", "open", "open"),
    "IT": ("narrowed", "narrowed", "narrowed", "obstructed", "obstructed", "obstructed"),
    "LT": ("open", "open", "open", "open", "open", "narrowed"),
    "LV": ("open", "open", "narrowed", "narrowed", "narrowed", "narrowed"),
    "NL": ("open", "open", "open", "narrowed", "narrowed", "narrowed"),
    "PL": ("obstructed", "obstructed", "obstructed", "obstructed", "narrowed", "narrowed"),
    "PT": ("open", "open", "open", "open", "open", "open"),
    "RO": ("narrowed", "narrowed", "obstructed", "obstructed", "obstructed", "obstructed"),
    "SE": ("open", "open", "open", "open", "narrowed", "narrowed"),
    "SI": ("narrowed", "narrowed", "obstructed", "obstructed", "narrowed", "narrowed"),
    "SK": ("narrowed", "narrowed", "narrowed", "narrowed", "obstructed", "repressed"),
}

MEASURES = [
    # country, title, kind, status, introduced on, visibility, summary
    (
        "HU",
        "Sovereignty protection office law",
        Measure.Kind.LAW,
        Measure.Status.IN_FORCE,
        dt.date(2023, 12, 12),
        Visibility.PUBLIC,
        "Illustrative: creates an office that may investigate organisations receiving funds from abroad.",
    ),
    (
        "SK",
        "Foreign-funded organisations bill",
        Measure.Kind.BILL,
        Measure.Status.ADOPTED,
        dt.date(2024, 4, 11),
        Visibility.PUBLIC,
        "Illustrative: requires organisations with foreign grants to label themselves and report donors.",
    ),
    (
        "BG",
        "Registration of foreign agents bill",
        Measure.Kind.BILL,
        Measure.Status.WITHDRAWN,
        dt.date(2024, 2, 5),
        Visibility.PUBLIC,
        "Illustrative: a register for organisations funded from abroad, withdrawn after protests.",
    ),
    (
        "IT",
        "Public-order decree on protest",
        Measure.Kind.LAW,
        Measure.Status.IN_FORCE,
        dt.date(2023, 6, 20),
        Visibility.PUBLIC,
        "Illustrative: raises penalties for road blockades by climate activists.",
    ),
    (
        "GR",
        "Funding conditions for migrant support groups",
        Measure.Kind.FUNDING_RULE,
        Measure.Status.IN_FORCE,
        dt.date(2021, 9, 1),
        Visibility.PUBLIC,
        "Illustrative: registration and funding rules for groups working with people on the move.",
    ),
    (
        "SK",
        "Coordinated online campaign against watchdog groups",
        Measure.Kind.SMEAR_CAMPAIGN,
        Measure.Status.PROPOSED,
        dt.date(2024, 5, 2),
        Visibility.MEMBERS,
        "Illustrative: members are documenting the accounts involved before going public.",
    ),
]


def load_demo_monitor() -> None:
    for code, ratings in HISTORY.items():
        for offset, rating in enumerate(ratings):
            CountryRating.objects.get_or_create(
                country=code,
                rated_on=dt.date(2019 + offset, 3, 1),
                defaults={"rating": rating, "source_name": SOURCE, "note": ILLUSTRATIVE},
            )
    for code, title, kind, status, introduced_on, visibility, summary in MEASURES:
        Measure.objects.get_or_create(
            country=code,
            title=title,
            defaults={
                "kind": kind,
                "status": status,
                "introduced_on": introduced_on,
                "visibility": visibility,
                "summary": summary,
            },
        )


# -- spill-over: the demo's "foreign funding" laws travel, and a smear campaign crosses a border ----------

LABELLING = "labelling of foreign-funded organisations"
TACTIC_OF_MEASURE = {
    ("HU", "Sovereignty protection office law"): LABELLING,
    ("SK", "Foreign-funded organisations bill"): LABELLING,
    ("BG", "Registration of foreign agents bill"): LABELLING,
}
# (kind, (source kind, country, title), (target kind, country, title), note)
LINKS = [
    (
        SpilloverLink.Kind.LAW_TEMPLATE,
        ("measure", "HU", "Sovereignty protection office law"),
        ("measure", "SK", "Foreign-funded organisations bill"),
        "Illustrative: the bill copies the definition of 'foreign influence' almost word for word.",
    ),
    (
        SpilloverLink.Kind.LAW_TEMPLATE,
        ("measure", "HU", "Sovereignty protection office law"),
        ("measure", "BG", "Registration of foreign agents bill"),
        "Illustrative: the same register and the same reporting duties.",
    ),
    (
        SpilloverLink.Kind.TACTIC,
        ("measure", "HU", "Sovereignty protection office law"),
        ("alert", "SK", "Bill obliges organisations with foreign grants to label all publications"),
        "",
    ),
    (
        SpilloverLink.Kind.CAMPAIGN,
        ("alert", "HU", "Pro-government weekly brands a legal aid network as 'foreign agents'"),
        ("alert", "LV", "Online campaign against a media freedom centre's director"),
        "Illustrative: the same accounts shared both stories within a day.",
    ),
]


def _demo_record(kind: str, country: str, title: str):
    from rare.solidarity.models import Alert

    model = Alert if kind == "alert" else Measure
    return model.objects.filter(country=country, title=title).first()


def load_demo_spillover() -> None:
    """Tactics, sightings and links between the demo's measures and alerts (after the alerts are loaded).
    Sightings are written directly: loading the demo warns nobody. Loading twice changes nothing."""
    from rare.programme.models import Membership
    from rare.solidarity.models import Alert

    for (code, title), name in TACTIC_OF_MEASURE.items():
        measure = Measure.objects.filter(country=code, title=title).first()
        if measure is not None and measure.tactic_id is None:
            measure.tactic, _created = Tactic.objects.get_or_create(key=tactic_key(name), defaults={"name": name})
            measure.save(update_fields=["tactic"])
    for measure in Measure.objects.filter(tactic__isnull=False).select_related("tactic"):
        seen = TacticSighting.objects.filter(tactic=measure.tactic, country=measure.country).exists()
        TacticSighting.objects.get_or_create(
            tactic=measure.tactic,
            measure=measure,
            defaults={"country": measure.country, "seen_on": measure.introduced_on, "first_in_country": not seen},
        )
    for alert in Alert.objects.filter(verified_at__isnull=False).exclude(tactic=""):
        tactic, _created = Tactic.objects.get_or_create(key=tactic_key(alert.tactic), defaults={"name": alert.tactic})
        seen = TacticSighting.objects.filter(tactic=tactic, country=alert.country).exists()
        TacticSighting.objects.get_or_create(
            tactic=tactic,
            alert=alert,
            defaults={"country": alert.country, "seen_on": alert.occurred_on, "first_in_country": not seen},
        )
    team = Membership.objects.filter(role=Membership.Role.TEAM, person__user__isnull=False).first()
    for kind, source_spec, target_spec, note in LINKS:
        source, target = _demo_record(*source_spec), _demo_record(*target_spec)
        if source is None or target is None:
            continue
        ends = {f"source_{source_spec[0]}": source, f"target_{target_spec[0]}": target}
        SpilloverLink.objects.get_or_create(
            kind=kind, **ends, defaults={"note": note, "created_by": team.person.user if team else None}
        )
