"""Benchmark (not part of the test run): how long a notice takes to reach 1,000 members, per task backend.

Run it explicitly, against PostgreSQL and Redis::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rare_bench .venv/bin/pytest -s \\
        tests/core/bench_notification_fanout.py

For each setup the workers are started and left to settle (their first periodic jobs done), then the
alert is verified; the clock runs from that commit until the SMTP server (aiosmtpd, in this process)
has accepted all 1,001 emails and every delivery is marked sent. Nobody is killed.
"""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests import fanout, redis_db

SETUPS = {
    "db, 1 worker": ("db", [], 1),
    "rq fork, 1 worker": ("rq", ["--rq-worker", "fork"], 1),
    "rq in-process, 1 worker": ("rq", ["--rq-worker", "in-process"], 1),
    "rq fork, 2 workers": ("rq", ["--rq-worker", "fork"], 2),
}


def _idle(backend: str, query, client) -> bool:
    """Nothing waits or runs on the notifications queue (the workers of this benchmark take only that one)."""
    if backend == "rq":
        busy = any(client.hget(key, "state") == b"busy" for key in client.smembers("rq:workers"))
        return client.llen("rq:queue:notifications") == 0 and not busy
    waiting = query(
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult"
        " WHERE queue_name = 'notifications' AND status IN ('READY', 'RUNNING')"
    )
    return waiting[0][0] == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("setup", list(SETUPS))
def test_fan_out_to_1000_members(setup, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("workers and this process share the database: PostgreSQL")
    backend, args, count = SETUPS[setup]
    client = redis_db.empty_redis()
    extra = {"RARE_TASK_BACKEND": "django_tasks_db.DatabaseBackend"}
    if backend == "rq":
        settings.RQ_QUEUES = {name: {"URL": redis_db.URL} for name in django_settings.TASK_QUEUES}
        settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_rq.RQBackend"}}
        extra = {"RARE_TASK_BACKEND": "rq", "REDIS_URL": redis_db.URL}
    scenario = fanout.members_and_alert()
    database_url, query = fanout.database_url(tmp_path)
    inbox = fanout.Inbox(kill=None)
    smtp, port = fanout.start_smtp(inbox)
    env = fanout.worker_env(database=database_url, smtp_port=port, **extra)
    env["RARE_NOTIFY_LEASE_SECONDS"] = "120"
    env["RARE_NOTIFY_SWEEP_SECONDS"] = "60"
    log_path = tmp_path / "worker.log"
    workers = []
    try:
        with open(log_path, "w") as log:
            for number in range(count):
                workers.append(
                    fanout.start_worker(env, log, *args, *(["--name", f"bench-{number}"] if backend == "rq" else []))
                )
            time.sleep(8)  # start-up and the first periodic jobs
            while not _idle(backend, query, client):
                time.sleep(0.2)
            time.sleep(1)
            started = time.monotonic()
            scenario.verify_alert()
            deadline = started + fanout.TIMEOUT
            fanout.wait_until_all_sent(inbox, query, len(scenario.addresses), deadline, log_path)
            elapsed = time.monotonic() - started - 1  # wait_until_all_sent waits 1 s for repeats
    finally:
        fanout.stop(workers)
        smtp.stop()
        client.flushdb()
        client.close()
    assert len(inbox.received) == len(scenario.addresses)
    print(f"\n{setup}: {len(scenario.addresses)} emails in {elapsed:.2f} s")
