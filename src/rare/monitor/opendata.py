"""The monitor's open data: `/monitor/data.csv` and `/monitor/data.json` (a public contract).

Only public records go out: every country rating (ratings are public by nature) and the measures whose
visibility is "public". Nothing else, whoever asks: the files are the same for everybody.

CSV: one row per record, with a header row, UTF-8, comma separated. A cell that a spreadsheet would read
as a formula (starting with =, +, - or @) is prefixed with an apostrophe. Columns (FIELDS below):

    record        "rating" or "measure"
    country       ISO 3166-1 alpha-2 code
    country_name  English name of the country
    date          ISO 8601 date: when the rating was given, or when the measure was introduced
    rating        open, narrowed, obstructed, repressed or closed (ratings only)
    kind          law, bill, funding_rule, smear_campaign or other (measures only)
    status        proposed, adopted, in_force, withdrawn or struck_down (measures only)
    title         title of the measure (measures only)
    summary       summary of the measure (measures only)
    source_name   who gave the rating (ratings only)
    source_url    where the rating or measure is documented
    note          remark on the rating (ratings only)

JSON: {"schema": {...}, "ratings": [...], "measures": [...]}, where "schema" describes every field of
the two lists and each record holds only the fields that apply to it.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import JsonResponse, StreamingHttpResponse
from django.utils import translation
from django_countries import countries

from rare.core.exports import spreadsheet_safe, stream_csv
from rare.monitor import queries
from rare.monitor.models import CountryRating, Measure, Rating

FIELDS = [
    "record",
    "country",
    "country_name",
    "date",
    "rating",
    "kind",
    "status",
    "title",
    "summary",
    "source_name",
    "source_url",
    "note",
]

COMMON = {
    "country": "ISO 3166-1 alpha-2 country code",
    "country_name": "English name of the country",
    "date": "ISO 8601 date",
    "source_url": "where it is documented (may be empty)",
}
SCHEMA = {
    "version": 1,
    "licence": "The data may be reused with attribution to RARE.",
    "ratings": {
        **COMMON,
        "date": "ISO 8601 date the rating was given",
        "rating": "one of: " + ", ".join(Rating.values),
        "source_name": "who gave the rating",
        "note": "remark on the rating (may be empty)",
    },
    "measures": {
        **COMMON,
        "date": "ISO 8601 date the measure was introduced",
        "kind": "one of: " + ", ".join(Measure.Kind.values),
        "status": "one of: " + ", ".join(Measure.Status.values),
        "title": "title of the measure",
        "summary": "summary of the measure (may be empty)",
    },
}


def _country_name(code: str) -> str:
    with translation.override("en"):
        return str(countries.name(code))


def rating_record(rating: CountryRating) -> dict[str, str]:
    return {
        "country": rating.country.code,
        "country_name": _country_name(rating.country.code),
        "date": rating.rated_on.isoformat(),
        "rating": rating.rating,
        "source_name": rating.source_name,
        "source_url": rating.source_url,
        "note": rating.note,
    }


def measure_record(measure: Measure) -> dict[str, str]:
    return {
        "country": measure.country.code,
        "country_name": _country_name(measure.country.code),
        "date": measure.introduced_on.isoformat(),
        "kind": measure.kind,
        "status": measure.status,
        "title": measure.title,
        "summary": measure.summary,
        "source_url": measure.source_url,
    }


def rows() -> Iterator[list[str]]:
    yield FIELDS
    for rating in queries.public_ratings():
        record = {"record": "rating", **rating_record(rating)}
        yield [spreadsheet_safe(record.get(field, "")) for field in FIELDS]
    for measure in queries.public_measures():
        record = {"record": "measure", **measure_record(measure)}
        yield [spreadsheet_safe(record.get(field, "")) for field in FIELDS]


def csv_response() -> StreamingHttpResponse:
    return stream_csv(rows(), filename="rare-monitor.csv")


def json_response() -> JsonResponse:
    data = {
        "schema": SCHEMA,
        "ratings": [rating_record(r) for r in queries.public_ratings()],
        "measures": [measure_record(m) for m in queries.public_measures()],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
