"""Measure one database: page and API times, queries and bytes, search latency, export throughput.

Run by `bench/run.py` once per scale, in a child process of its own because Django's settings bind to
`DATABASE_URL` when they are imported:

    DATABASE_URL=postgres://.../rare_bench_demo .venv/bin/python bench/measure.py --label demo --out FILE

Every page is requested through Django's test `Client`, in this process, so "server time" is the time
from the request entering the middleware to the last byte of the response body: no network, no web
server, no browser. That is the part indexes, pagination and query counts change. The member is signed
in with `Client.force_login` (the sign-in form and two-factor step are not what is measured); API
requests carry a real personal token made with the API app's own service.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
WARMUP = 2
BUDGET_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "12"))
MIN_RUNS = 3
SEARCH_TERMS = ["litigation", "migr", "press freedom", "roma", "budapest", "climate"]


@dataclass
class PageResult:
    """What a reader of the table sees for one page."""

    name: str
    path: str
    who: str
    status: int
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int
    times_ms: list[float] = field(default_factory=list, repr=False)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def measure_page(
    client,
    path: str,
    *,
    name: str = "",
    who: str = "",
    runs: int = RUNS,
    warmup: int = WARMUP,
    headers: dict | None = None,
    budget_seconds: float = BUDGET_SECONDS,
) -> PageResult:
    """Request `path` `warmup` times unmeasured, then `runs` times: server time, SQL queries, bytes.

    A page that takes seconds would hold the whole benchmark up, so measuring stops once the page has
    used `budget_seconds` and made at least MIN_RUNS runs; `runs` in the result says how many were made
    (and a page that slow is far over its factor anyway). The query count and size are those of the
    last run (they do not change between runs of the same page). Any answer but 200 is an error, so a
    page that fails is never timed as fast.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    spent_started = time.perf_counter()
    for _ in range(warmup):
        _body(client.get(path, headers=headers))
        if time.perf_counter() - spent_started > budget_seconds / 4:
            break
    times: list[float] = []
    queries = size = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            body = _body(response)
            elapsed = time.perf_counter() - started
        status = response.status_code
        if status != 200:
            raise RuntimeError(f"{path} answered {status} (as {who or 'visitor'}), not 200")
        times.append(elapsed * 1000)
        queries = len(captured.captured_queries)
        size = len(body)
        if len(times) >= MIN_RUNS and time.perf_counter() - spent_started > budget_seconds:
            break
    return PageResult(
        name=name or path,
        path=path,
        who=who,
        status=status,
        runs=len(times),
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(percentile(times, 0.95), 2),
        queries=queries,
        bytes=size,
        times_ms=[round(t, 2) for t in times],
    )


# -- what is measured ------------------------------------------------------------------------------


def _users():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return users.get(email="participant@example.org"), users.get(email="team@example.org")


def _samples(member) -> dict:
    """Real records to open: an alert, a camp the member may see."""
    from rare.programme.models import Camp
    from rare.solidarity import queries as alert_queries

    alert = alert_queries.alert_list(member).first()
    camp = Camp.objects.order_by("starts_on", "pk").first()
    return {"alert": alert.pk, "camp": camp.slug}


def pages(member_samples: dict) -> list[tuple[str, str, str]]:
    """(name, path, who) of every page measured; `who` is visitor, member, team or api."""
    alert, camp = member_samples["alert"], member_samples["camp"]
    return [
        ("home (visitor)", "/", "visitor"),
        ("about (visitor)", "/about/", "visitor"),
        ("news (visitor)", "/news/", "visitor"),
        ("camps (visitor)", "/camps/", "visitor"),
        ("participants (visitor)", "/directory/participants/", "visitor"),
        ("monitor (visitor)", "/monitor/", "visitor"),
        ("alerts feed (visitor)", "/feeds/alerts.atom", "visitor"),
        ("home", "/", "member"),
        ("directory organisations", "/directory/organisations/", "member"),
        ("directory people", "/directory/people/", "member"),
        ("search people", "/directory/people/?q=litigation", "member"),
        ("search organisations", "/directory/organisations/?q=rights", "member"),
        ("alerts", "/alerts/", "member"),
        ("alert detail", f"/alerts/{alert}/", "member"),
        ("camps", "/camps/", "member"),
        ("camp and its sessions", f"/camps/{camp}/", "member"),
        ("working groups", "/groups/", "member"),
        ("action plan", "/groups/plan/", "member"),
        ("decisions", "/groups/decisions/", "member"),
        ("library", "/learning/library/", "member"),
        ("notifications", "/notifications/", "member"),
        ("alerts coverage (team)", "/alerts/coverage/", "team"),
        ("key figures (team)", "/team/reports/", "team"),
        ("exports (team)", "/team/exports/", "team"),
        *[
            (f"api {resource}", f"/api/v1/{resource}", "api")
            for resource in (
                "programmes",
                "camps",
                "sessions",
                "organisations",
                "people",
                "alerts",
                "pledges",
                "actions",
                "decisions",
                "measures",
            )
        ],
    ]


class Scale:
    """One database's side of the benchmark: its clients, token and the pages to request."""

    def __init__(self):
        from django.test import Client

        from rare.api.services import create_token

        member, team = _users()
        _token, secret = create_token(user=member, name="benchmark")
        self.clients = {"visitor": Client(), "member": Client(), "team": Client(), "api": Client()}
        self.clients["member"].force_login(member)
        self.clients["team"].force_login(team)
        self.api_headers = {"authorization": f"Bearer {secret}"}
        self.pages = pages(_samples(member))

    def page(self, index: int, *, runs: int = RUNS) -> PageResult:
        name, path, who = self.pages[index]
        headers = self.api_headers if who == "api" else None
        return measure_page(self.clients[who], path, name=name, who=who, runs=runs, headers=headers)


def measure_search(*, runs: int = RUNS) -> dict:
    """Full-text search of the directory as the pages run it: the first page of best matches."""
    from rare.community import queries

    times: list[float] = []
    found: dict[str, int] = {}
    for term in SEARCH_TERMS:
        for kind, query in (("people", queries.people), ("organisations", queries.organisations)):
            list(query(search=term)[:25])  # warm-up
            for _ in range(runs):
                started = time.perf_counter()
                rows = list(query(search=term)[:25])
                times.append((time.perf_counter() - started) * 1000)
            found[f"{kind}:{term}"] = len(rows)
    return {
        "terms": SEARCH_TERMS,
        "queries_timed": len(times),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "first_page_hits": found,
    }


def measure_exports() -> dict:
    """Rows a second of the alerts export: CSV streamed to the team member, XLSX built as the worker does."""
    from django.test import Client

    from rare.reports import services
    from rare.reports.exports import EXPORTS

    _member, team = _users()
    client = Client()
    client.force_login(team)
    rows = EXPORTS["alerts"].count(team)
    started = time.perf_counter()
    response = client.get("/team/exports/alerts.csv")
    size = len(_body(response))
    csv_seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"the alerts CSV export answered {response.status_code}")
    started = time.perf_counter()
    job = services.request_export(name="alerts", requester=team)
    job = services.build_export(job.pk)
    xlsx_seconds = time.perf_counter() - started
    return {
        "list": "alerts",
        "rows": rows,
        "csv_seconds": round(csv_seconds, 2),
        "csv_bytes": size,
        "csv_rows_per_second": round(rows / csv_seconds) if csv_seconds else None,
        "xlsx_seconds": round(xlsx_seconds, 2),
        "xlsx_rows_per_second": round(rows / xlsx_seconds) if xlsx_seconds else None,
        "xlsx_status": job.status,
    }


def database_counts() -> dict:
    """How big this scale is, so the table says what was measured."""
    from rare.alliance.plan.models import Action
    from rare.community.models import Organisation, Person
    from rare.programme.models import Camp, Programme, Session
    from rare.solidarity.models import Alert, Pledge

    models = {
        "organisations": Organisation,
        "people": Person,
        "programmes": Programme,
        "camps": Camp,
        "sessions": Session,
        "alerts": Alert,
        "pledges": Pledge,
        "actions": Action,
    }
    return {name: model.objects.count() for name, model in models.items()}


def serve(label: str, runs: int, reply) -> None:
    """Answer the runner's requests, one JSON line each, until "quit".

    The runner keeps one such process per scale and asks them in turn, page by page, so both scales
    are measured under the same load of the machine (it is shared; a noisy minute then slows both
    sides of a factor, not one)."""
    from django.db import connection

    scale = Scale()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    reply({"label": label, "postgresql": version, "counts": database_counts(), "pages": scale.pages})
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "page":
            reply(asdict(scale.page(int(argument), runs=runs)))
        elif command == "search":
            reply(measure_search(runs=runs))
        elif command == "exports":
            reply(measure_exports())
        elif command == "quit":
            return
        else:
            raise SystemExit(f"measure: unknown command {command!r}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rare.settings")
    import django

    django.setup()
    out = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not mix with the answers

    def reply(obj) -> None:
        out.write(json.dumps(obj) + "\n")
        out.flush()

    serve(args.label, args.runs, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
