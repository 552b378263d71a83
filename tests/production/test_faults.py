"""Faults under load on the production stack (`rare prod`): nginx in front of two gunicorn app servers,
task workers, a private PostgreSQL and Redis. Real processes, real signals.

- The locustfile of `make load` for 25 s, with members signing in by password and one-time code: no
  request may fail.
- An app server stopped (SIGTERM) and another one killed (SIGKILL) mid-load: no GET fails (nginx retries
  it on the other server), every POST either succeeded or failed visibly, and nothing that succeeded is lost.
- PostgreSQL restarted mid-load: requests fail only while it is down, what was written before is still
  there, and requests succeed again right after (no broken connections left in the app servers).

Slow (a few minutes) and needing nginx, PostgreSQL and redis-server: they run with RARE_PRODUCTION_TESTS=1
(`make faults`, and the "Production: load and faults" section of CI), and are skipped otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.production.stack import (
    Load,
    PrivatePostgres,
    PrivateRedis,
    ProdStack,
    Result,
    app_server_answers,
    children_of,
    missing_tools,
    request,
)

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("RARE_PRODUCTION_TESTS") != "1", reason="production fault tests run with RARE_PRODUCTION_TESTS=1"
)


def ports(count: int) -> list[int]:
    """RARE_FAULT_PORT_BASE, +1, ... when set (a range kept for these tests), else free ports."""
    base = os.environ.get("RARE_FAULT_PORT_BASE")
    if base:
        return [int(base) + n for n in range(count)]
    found = []
    for _ in range(count):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            found.append(sock.getsockname()[1])
    return found


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    missing = missing_tools()
    assert not missing, f"install {' '.join(missing)} (apt-get install {' '.join(missing)})"
    https, http, pg_port, redis_port = ports(4)
    pg = PrivatePostgres(pg_port)
    pg.init()
    pg.query("postgres", "SELECT 1")
    import psycopg

    with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE rare_faults")
    redis = PrivateRedis(redis_port)
    state = tmp_path_factory.mktemp("prod") / "state"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(state.parent),
        "LANG": "C.UTF-8",
        "RARE_DOTENV": str(state.parent / "no.env"),
        "DATABASE_URL": pg.url("rare_faults"),
        "REDIS_URL": redis.url,
        # One token posts many alerts a second here; the limit is not what these tests are about.
        "RARE_API_RATE_TOKEN": "1000000",
        "RARE_API_RATE_ANONYMOUS": "1000000",
        "RARE_LOG_LEVEL": "WARNING",
    }
    prod = ProdStack(port=https, http_port=http, env=env, state=state)
    try:
        prod.wait_ready()
        credentials = state.parent / "members.json"
        prod.manage("loadtest-accounts", "--count", "4", "--output", str(credentials))
        tokens = [m["api_token"] for m in json.loads(credentials.read_text())["members"]]
        yield prod, pg, tokens
    finally:
        code = prod.stop()
        redis.destroy()
        pg.destroy()
        print(f"\nrare prod exited with {code}; its log ends:\n{prod.output()[-3000:]}")


def summary(name: str, results: list[Result], **extra) -> dict:
    by_kind = Counter((r.method, r.status if r.status is not None else r.error) for r in results)
    report = {
        "test": name,
        "requests": len(results),
        "outcomes": {f"{m} {s}": n for (m, s), n in sorted(by_kind.items(), key=str)},
        **extra,
    }
    print("\n" + json.dumps(report, indent=1))
    out = os.environ.get("RARE_FAULT_REPORT")
    if out:
        with open(out, "a") as fh:
            fh.write(json.dumps(report) + "\n")
    return report


def alerts_stored(pg: PrivatePostgres, markers: list[str]) -> set[str]:
    rows = pg.query("rare_faults", "SELECT title FROM solidarity_alert WHERE title = ANY(%s)", (markers,))
    return {row[0] for row in rows}


def wait_for_new_app_server(prod: ProdStack, number: int, old_pid: int, timeout: float = 120) -> float:
    """Seconds until `rare prod` has started app server `number` again and it serves."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            pid = prod.app_server_pid(number)
        except (FileNotFoundError, ValueError):
            pid = old_pid
        if pid != old_pid and app_server_answers(prod.state / "run" / f"app{number}.sock"):
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"app server {number} was not started again:\n{prod.output()[-3000:]}")


def test_locust_load_with_signed_in_members_has_no_failed_request(stack, tmp_path):
    """`make load` in small: the locustfile against the stack, visitors and members signing in with TOTP."""
    prod, _pg, _tokens = stack
    stats = tmp_path / "load"
    env = {**prod.env, "RARE_LOAD_MEMBERS": str(prod.state.parent / "members.json"), "LOAD_USER_RATE": "1"}
    locust = subprocess.run(  # noqa: S603
        [
            *(sys.executable, "-m", "locust", "-f", str(REPO / "loadtest" / "locustfile.py"), "--headless"),
            *("--only-summary", "--host", f"https://127.0.0.1:{prod.port}", "-u", "8", "-r", "4", "-t", "25s"),
            *("--csv", str(stats), "--exit-code-on-error", "0"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert locust.returncode == 0, locust.stderr[-3000:]
    report = subprocess.run(  # noqa: S603
        [sys.executable, str(REPO / "loadtest" / "report.py"), str(stats)], capture_output=True, text=True, check=False
    )
    print("\n" + report.stdout)
    names = {line.split()[0] for line in report.stdout.splitlines()[1:] if line.strip()}
    assert {"/directory/", "sign", "second"} <= names, "no member signed in"
    assert report.returncode == 0, report.stdout + (stats.parent / "load_failures.csv").read_text()


def test_stopping_and_killing_an_app_server_mid_load_loses_no_request(stack):
    prod, pg, tokens = stack
    load = Load(prod.port, tokens, threads=4)
    load.start()
    time.sleep(6)
    # SIGTERM: gunicorn stops accepting and finishes the requests it holds.
    first = prod.app_server_pid(1)
    os.kill(first, signal.SIGTERM)
    back_after_term = wait_for_new_app_server(prod, 1, first)
    time.sleep(5)
    # SIGKILL of the master and its workers at once, as when the machine under it fails: requests
    # in flight there are cut off mid-way.
    second = prod.app_server_pid(2)
    victims = [second, *children_of(second)]
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    back_after_kill = wait_for_new_app_server(prod, 2, second)
    time.sleep(5)
    results = load.stop()

    gets = [r for r in results if r.method == "GET"]
    posts = [r for r in results if r.method == "POST"]
    summary(
        "app server stopped and killed",
        results,
        app1_back_after_sigterm_s=round(back_after_term, 1),
        app2_back_after_sigkill_s=round(back_after_kill, 1),
    )
    assert len(gets) > 50 and len(posts) > 10, "too little load to mean anything"
    assert [r for r in results if r.error] == [], "the client lost a connection to nginx"
    assert [(r.path, r.status) for r in gets if not r.ok] == []
    # A POST is never retried on the other server once it reached one: it succeeded or failed visibly.
    assert {r.status for r in posts} <= {201, 502, 504}
    succeeded = [r.marker for r in posts if r.status == 201]
    failed = [r.marker for r in posts if r.status != 201]
    assert alerts_stored(pg, succeeded) == set(succeeded), "an alert reported with 201 is missing"
    # A POST cut off by the kill may have committed before its answer was lost; no more than those.
    assert len(alerts_stored(pg, failed)) <= len(failed)
    assert request("GET", prod.port, "/readyz")[0] == 200


def test_restarting_postgresql_mid_load_fails_only_while_it_is_down(stack):
    prod, pg, tokens = stack
    load = Load(prod.port, tokens, threads=4)
    load.start()
    time.sleep(5)
    down_at = time.monotonic()
    pg.stop("fast")
    time.sleep(3)
    pg.start()
    up_at = time.monotonic()
    time.sleep(10)
    results = load.stop()

    failures = [r for r in results if not r.ok]
    grace = 3.0  # a request that began just before the restart may still meet a closing connection
    after = [r for r in results if r.started > up_at + grace]
    report = summary(
        "PostgreSQL restarted",
        results,
        down_for_s=round(up_at - down_at, 1),
        failed=len(failures),
        failed_outside_window=len([r for r in failures if r.ended < down_at or r.started > up_at + grace]),
        requests_after_restart=len(after),
    )
    assert [r for r in results if r.error] == [], "the client lost a connection to nginx"
    assert report["failed_outside_window"] == 0, [(r.method, r.path, r.status) for r in failures]
    assert len(after) > 20 and all(r.ok for r in after), "requests still fail after the restart"
    # The database out of reach is answered "503, try again shortly", never as a server error.
    assert {r.status for r in failures} <= {502, 503, 504}, sorted({r.status for r in failures})
    written = [r.marker for r in results if r.method == "POST" and r.status == 201]
    assert written, "no alert was written during the test"
    assert alerts_stored(pg, written) == set(written), "an alert reported with 201 is missing after the restart"
    assert request("GET", prod.port, "/readyz")[0] == 200
