"""The Redis task queue (RARE_TASK_BACKEND=rq): configured only with a Redis, fed only after commits,
worked by `rare worker`, stopped cleanly by SIGTERM.

Redis: tests/redis_db.py (skipped without one, except in CI).
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rare.core import notifications, scheduling
from rare.core.models import Notice
from rare.core.taskqueue import enqueue_after_commit
from tests import fanout, redis_db
from tests.core.test_config import rare
from tests.factories import AlertFactory

QUEUE = "rq:queue:default"


@task()
def heartbeat() -> str:
    return "beat"


@pytest.fixture
def redis_queue(settings):
    """This process queueing into an empty test Redis with the RQ backend."""
    client = redis_db.empty_redis()
    settings.RQ_QUEUES = {name: {"URL": redis_db.URL} for name in django_settings.TASK_QUEUES}
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_rq.RQBackend"}}
    yield client
    client.flushdb()
    client.close()


def test_the_redis_queue_needs_a_redis(tmp_path):
    refused = rare("check", tmp_path=tmp_path, RARE_TASK_BACKEND="rq")
    assert refused.returncode != 0
    assert "RARE_TASK_BACKEND=rq needs REDIS_URL or RARE_QUEUE_URL" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) <= 2  # the refusal and its one line

    accepted = rare("check", tmp_path=tmp_path, RARE_TASK_BACKEND="rq", RARE_QUEUE_URL=redis_db.URL)
    assert accepted.returncode == 0, accepted.stderr


@pytest.mark.django_db(transaction=True)
def test_nothing_reaches_redis_before_the_commit_nor_after_a_rollback(redis_queue):
    with transaction.atomic():
        enqueue_after_commit(heartbeat)
        assert redis_queue.llen(QUEUE) == 0  # a worker must not see it yet
    assert redis_queue.llen(QUEUE) == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(heartbeat)
        raise RuntimeError("rolled back")
    assert redis_queue.llen(QUEUE) == 1


@pytest.mark.django_db(transaction=True)
def test_a_periodic_job_is_queued_after_its_claim_commits_and_once(redis_queue):
    registry = scheduling.Registry()
    registry.periodic("test.heartbeat", every=dt.timedelta(hours=1))(heartbeat)
    now = timezone.now()

    with pytest.raises(RuntimeError), transaction.atomic():
        assert registry.run_due_jobs(now) == ["test.heartbeat"]
        raise RuntimeError("the claim rolls back")
    assert redis_queue.llen(QUEUE) == 0

    assert registry.run_due_jobs(now) == ["test.heartbeat"]
    assert registry.run_due_jobs(now) == []
    assert redis_queue.llen(QUEUE) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweep_queues_unfinished_fan_outs_in_redis(redis_queue):
    alert = AlertFactory()
    notice = Notice.objects.create(
        kind="alert.verified",
        target_type=ContentType.objects.get_for_model(alert),
        target_id=alert.pk,
        topic={},
        dedupe_key="sweep-rq",
    )
    Notice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))

    assert notifications.sweep()["fan_out"] == 1
    assert redis_queue.llen("rq:queue:notifications") == 1


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_runs_queued_tasks_and_stops_on_sigterm(redis_queue, tmp_path):
    database_url, query = fanout.database_url(tmp_path)
    env = {
        **fanout.worker_env(database=database_url, smtp_port=fanout.free_port()),
        "RARE_TASK_BACKEND": "rq",
        "REDIS_URL": redis_db.URL,
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "rare", "worker", "--scheduler-interval", "1"], env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 120
            # The scheduler thread queues the periodic jobs in Redis; the RQ worker runs them.
            while "Successfully completed rare.core.tasks.sweep_notifications" not in log_path.read_text():
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                assert worker.poll() is None, log_path.read_text()[-3000:]
                time.sleep(0.2)
            assert query("SELECT COUNT(*) FROM core_periodicjob WHERE last_run_at IS NOT NULL")[0][0] > 0
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
        finally:
            fanout.stop([worker])
    text = log_path.read_text()
    assert "warm shut down requested" in text
    assert "Traceback" not in text
    assert not redis_queue.smembers("rq:workers")  # it said goodbye to Redis
