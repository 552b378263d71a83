"""Demo data of the monitor: fictional but plausible ratings for the demo countries over 2019-2024 and a
few measures. Every rating says in its note that it is illustrative. Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from rare.core.visibility import Visibility
from rare.monitor.models import CountryRating, Measure

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
