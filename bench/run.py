"""`make bench`: the platform's benchmark at demo scale and at europe scale, as a table and as JSON.

What it does, in order (each step is timed and the times are in the JSON):

1. Makes three fresh PostgreSQL databases (dropped first if they exist): `rare_bench_tmpl` is
   migrated and loaded with the demo once, then cloned with CREATE DATABASE ... TEMPLATE into
   `rare_bench_demo` and `rare_bench_europe`, so both hold the same demo accounts; the europe one then
   gets `rare generate --scale europe` (or BENCH_SCALE) and an ANALYZE.
2. Measures each database in a child process of its own (`bench/measure.py`; Django's settings bind
   to DATABASE_URL at import): main pages and API lists (median and 95th percentile of server time,
   SQL queries, response bytes), full-text search latency, and the alerts export (CSV and XLSX, rows
   a second). The cache (Redis) is emptied before each scale.
3. Fans one alert notice out to 10,000 members of the europe database (`bench/fanout.py`) through the
   real task backend with two `rare worker` processes and a local SMTP server that accepts and counts.
4. Prints the table, writes `bench/results/latest.json` and a dated copy, and exits 1 if a page of
   the europe scale takes more than MAX_FACTOR times its demo-scale median.

Environment: BENCH_PG_URL (server, default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/3; the benchmark empties this Redis database), BENCH_SCALE (default
europe; `none` skips the generation), BENCH_RUNS (measured requests per page, default 15),
BENCH_FANOUT_MEMBERS (default 10000), BENCH_TASK_BACKEND (default rq; `db` for the database backend).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
RARE = str(VENV_BIN / "rare")
RESULTS = ROOT / "bench" / "results"
# Keys and logs of the benchmark's databases (made afresh with them; the worker logs stay for reading).
DATA_DIR = ROOT / "var" / "bench"
MAX_FACTOR = 3.0

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
SCALE = os.environ.get("BENCH_SCALE", "europe")
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
FANOUT_MEMBERS = int(os.environ.get("BENCH_FANOUT_MEMBERS", "10000"))
DATABASES = {"tmpl": "rare_bench_tmpl", "demo": "rare_bench_demo", "europe": "rare_bench_europe"}


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Timer:
    """Wall time of each step, for the JSON and the operator."""

    def __init__(self):
        self.steps: dict[str, float] = {}
        self.started = time.monotonic()

    def step(self, name: str):
        timer = self

        class _Step:
            def __enter__(self):
                say(f"== {name}")
                self.t = time.monotonic()

            def __exit__(self, *exc):
                timer.steps[name] = round(time.monotonic() - self.t, 1)
                say(f"   {name}: {timer.steps[name]} s")

        return _Step()


# -- environment of the children --------------------------------------------------------------------


def task_backend_env() -> dict:
    """The task backend of the children: RQ on our own Redis database (production's backend) unless
    BENCH_TASK_BACKEND says otherwise (`db` for the database backend)."""
    backend = os.environ.get("BENCH_TASK_BACKEND", "rq")
    return {"RARE_TASK_BACKEND": {"db": "django_tasks_db.DatabaseBackend"}.get(backend, backend)}


def child_env(database: str, data_dir: Path, **extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG_URL}/{database}",
        "REDIS_URL": REDIS_URL,
        "RARE_DATA_DIR": str(data_dir),  # one secret and encryption key for every child
        "RARE_ENV": "development",
        "DEBUG": "false",
        "RARE_API_RATE_TOKEN": "1000000",  # the benchmark makes hundreds of requests a minute
        "RARE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.update(task_backend_env())
    env.update(extra)
    return env


def run(cmd: list[str], env: dict, **kwargs) -> None:
    completed = subprocess.run(cmd, env=env, cwd=ROOT, **kwargs)  # noqa: S603 (our own fixed commands)
    if completed.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed with exit code {completed.returncode}")


def psql(sql: str, database: str = "postgres") -> str:
    command = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", f"{PG_URL}/{database}", "-c", sql]
    out = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 (our own SQL)
    if out.returncode != 0:
        raise SystemExit(f"bench: psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# -- SMTP sink ------------------------------------------------------------------------------------


class CountingHandler:
    """Accepts every message and counts it (the fan-out's emails go nowhere else)."""

    def __init__(self):
        self.count = 0
        self.notices = 0  # emails of a notice (their Message-ID starts with "<notice.")
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        headers = content.split(b"\r\n\r\n", 1)[0].lower()
        with self.lock:
            self.count += 1
            self.notices += b"\nmessage-id: <notice." in headers
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- steps ----------------------------------------------------------------------------------------


def prepare(timer: Timer, data_dir: Path) -> None:
    for name in DATABASES.values():
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DATABASES["tmpl"]}"')
    env = child_env(DATABASES["tmpl"], data_dir)
    with timer.step("migrate and load the demo"):
        run([RARE, "migrate", "-v0"], env)
        run([RARE, "demo"], env, stdout=subprocess.DEVNULL)
    with timer.step("clone the databases"):
        for label in ("demo", "europe"):
            psql(f'CREATE DATABASE "{DATABASES[label]}" TEMPLATE "{DATABASES["tmpl"]}"')
    if SCALE.lower() == "none":  # compare the demo with itself (to try the harness quickly)
        return
    with timer.step(f"generate --scale {SCALE}"):
        run([RARE, "generate", "--scale", SCALE], child_env(DATABASES["europe"], data_dir))
        psql("ANALYZE", DATABASES["europe"])


class Measurer:
    """A `bench/measure.py` process for one scale, asked one thing at a time."""

    def __init__(self, label: str, data_dir: Path):
        self.label = label
        self.process = subprocess.Popen(  # noqa: S603 (our own fixed command)
            [PYTHON, "bench/measure.py", "--label", label, "--runs", str(RUNS)],
            env=child_env(DATABASES[label], data_dir),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.hello = self._answer()

    def _answer(self):
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench: the {self.label} measurement stopped (see its error above)")
        return json.loads(line)

    def ask(self, command: str):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)


def measure(data_dir: Path, timer: Timer) -> dict[str, dict]:
    """Both scales page by page in turn (demo, europe, next page), so machine load hits both alike."""
    flush_redis()
    found = {"demo": {"pages": []}, "europe": {"pages": []}}
    measurers = {}
    try:
        with timer.step("measure pages"):
            for label in found:
                measurers[label] = Measurer(label, data_dir)
                found[label].update({k: measurers[label].hello[k] for k in ("postgresql", "counts")})
            count = len(measurers["demo"].hello["pages"])
            for index in range(count):
                for label, measurer in measurers.items():
                    page = measurer.ask(f"page {index}")
                    found[label]["pages"].append(page)
                say(
                    f"   {page['name']:30} demo {found['demo']['pages'][-1]['median_ms']:7.1f} ms   "
                    f"europe {page['median_ms']:7.1f} ms"
                )
        with timer.step("measure search"):
            for label, measurer in measurers.items():
                found[label]["search"] = measurer.ask("search")
        with timer.step("measure exports"):
            for label, measurer in measurers.items():
                found[label]["exports"] = measurer.ask("exports")
    finally:
        for measurer in measurers.values():
            measurer.close()
    return found


def fan_out(data_dir: Path, timer: Timer) -> dict:
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = child_env(DATABASES["europe"], data_dir, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    out = data_dir / "fanout.json"
    workers = []
    log = None
    flush_redis()
    try:
        with timer.step("prepare fan-out members"):
            run([PYTHON, "bench/fanout.py", "--prepare-only", "--members", str(FANOUT_MEMBERS), "--out", str(out)], env)
        # Without their schedulers: a database where periodic jobs never ran would have them all start
        # now (reminders about thousands of generated actions) and queue ahead of the notice measured.
        log = open(data_dir / "workers.log", "w")  # noqa: SIM115 (closed below)
        for _ in range(2):
            workers.append(
                subprocess.Popen(  # noqa: S603 (our own fixed command)
                    [RARE, "worker", "--no-scheduler"],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            )
        time.sleep(3)  # let both workers start listening
        with timer.step("fan-out"):
            run([PYTHON, "bench/fanout.py", "--members", str(FANOUT_MEMBERS), "--out", str(out)], env)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()
        if log is not None:
            log.close()
    result = json.loads(out.read_text())
    result["smtp_received"] = handler.count
    result["smtp_notice_emails"] = handler.notices
    result["task_backend"] = task_backend_env().get("RARE_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
    result["workers"] = 2
    return result


# -- report ---------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def combine(demo: dict, europe: dict) -> list[dict]:
    by_name = {page["name"]: page for page in europe["pages"]}
    rows = []
    for d in demo["pages"]:
        e = by_name[d["name"]]
        rows.append(
            {
                "name": d["name"],
                "path": d["path"],
                "who": d["who"],
                "demo": {k: d[k] for k in ("median_ms", "p95_ms", "queries", "bytes")},
                "europe": {k: e[k] for k in ("median_ms", "p95_ms", "queries", "bytes")},
                "factor": round(e["median_ms"] / d["median_ms"], 2) if d["median_ms"] else None,
            }
        )
    return rows


def table(report: dict) -> str:
    """The report as Markdown, ready for the README."""
    m = report["machine"]
    lines = [
        f"Measured {report['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"PostgreSQL {report['postgresql']}, Python {m['python']}; {report['runs']} requests per page "
        f"after {2} unmeasured; times in ms (server time in process), factor = europe median / demo median.",
        "",
        "| page | who | demo median | demo p95 | demo queries | demo bytes "
        "| europe median | europe p95 | europe queries | europe bytes | factor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["pages"]:
        d, e = row["demo"], row["europe"]
        flag = " **over**" if row["factor"] and row["factor"] > MAX_FACTOR else ""
        lines.append(
            f"| {row['name']} | {row['who']} | {d['median_ms']:.1f} | {d['p95_ms']:.1f} | {d['queries']} | "
            f"{d['bytes']:,} | {e['median_ms']:.1f} | {e['p95_ms']:.1f} | {e['queries']} | {e['bytes']:,} | "
            f"{row['factor']:.2f}{flag} |"
        )
    lines.append("")
    counts = report["counts"]
    lines.append(
        "Data: "
        + "; ".join(f"{name} {counts['demo'][name]:,} / {counts['europe'][name]:,}" for name in counts["europe"])
        + " (demo / europe)."
    )
    s = report["search"]
    lines.append(
        f"Full-text search (first page of best matches, {len(s['demo']['terms'])} terms, people and "
        f"organisations): demo median {s['demo']['median_ms']:.1f} ms, p95 {s['demo']['p95_ms']:.1f} ms; "
        f"europe median {s['europe']['median_ms']:.1f} ms, p95 {s['europe']['p95_ms']:.1f} ms."
    )
    x = report.get("exports", {}).get("europe")
    if x:
        lines.append(
            f"Export of the alerts at europe scale ({x['rows']:,} rows): CSV {x['csv_seconds']} s "
            f"({x['csv_rows_per_second']:,} rows/s, {x['csv_bytes']:,} bytes), XLSX built in the background "
            f"{x['xlsx_seconds']} s ({x['xlsx_rows_per_second']:,} rows/s)."
        )
    f = report.get("fanout")
    if f:
        lines.append(
            f"Alert fan-out to {f['members']:,} members ({f['task_backend']}, {f['workers']} workers, local "
            f"SMTP): in-app notices {f['deliveries']:,} in {f['in_app_seconds']} s ({f['in_app_per_second']}/s); "
            f"emails {f['emails_sent']:,} sent ({f['smtp_notice_emails']:,} received by the SMTP server), all done in "
            f"{f['all_done_seconds']} s ({f['emails_per_second']}/s)."
        )
    steps = ", ".join(f"{name} {seconds} s" for name, seconds in report["steps"].items())
    lines.append(f"Whole run: {report['total_seconds']:.0f} s ({steps}).")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The platform's benchmark (see bench/run.py).")
    parser.add_argument("--reuse", action="store_true", help="measure the databases of the last run again")
    parser.add_argument("--no-fanout", action="store_true", help="skip the fan-out")
    parser.add_argument("--only-fanout", action="store_true", help="only the fan-out (with --reuse)")
    args = parser.parse_args(argv)
    if not Path(PYTHON).exists():
        raise SystemExit("bench: .venv is missing: run `make install` first")
    if shutil.which("psql") is None:
        raise SystemExit("bench: psql (the PostgreSQL client) is needed")
    timer = Timer()
    if not args.reuse:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
        DATA_DIR.mkdir(parents=True)
        prepare(timer, DATA_DIR)
    if args.only_fanout:
        print(json.dumps(fan_out(DATA_DIR, timer), indent=2))
        return 0
    measured = measure(DATA_DIR, timer)
    demo, europe = measured["demo"], measured["europe"]
    fanout = None if args.no_fanout or FANOUT_MEMBERS <= 0 else fan_out(DATA_DIR, timer)
    now = dt.datetime.now(dt.UTC)
    report = {
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "scale": SCALE,
        "runs": RUNS,
        "machine": machine(),
        "postgresql": europe["postgresql"],
        "counts": {"demo": demo["counts"], "europe": europe["counts"]},
        "pages": combine(demo, europe),
        "search": {"demo": demo["search"], "europe": europe["search"]},
        "exports": {"demo": demo.get("exports"), "europe": europe.get("exports")},
        "fanout": fanout,
        "steps": timer.steps,
        "total_seconds": round(time.monotonic() - timer.started, 1),
        "max_factor": MAX_FACTOR,
    }
    over = [row for row in report["pages"] if row["factor"] and row["factor"] > MAX_FACTOR]
    report["over"] = [row["name"] for row in over]
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"{now.strftime('%Y-%m-%d-%H%M')}.json").write_text(text)
    (RESULTS / "latest.md").write_text(table(report) + "\n")
    print(table(report))
    if over:
        for row in over:
            say(f"bench: {row['name']} ({row['path']}) takes {row['factor']}x its demo time (limit {MAX_FACTOR}x)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
