import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from rare.core import audit, scheduling
from rare.core.models import AuditEntry, PeriodicJob

HOUR = dt.timedelta(hours=1)


@task()
def heartbeat() -> str:
    return "beat"


def _enqueued(task_object=heartbeat) -> int:
    return DBTaskResult.objects.filter(task_path=task_object.module_path).count()


def _registry(*jobs):
    registry = scheduling.Registry()
    for name, target in jobs:
        registry.periodic(name, every=HOUR)(target)
    return registry


@pytest.mark.django_db
def test_a_new_job_runs_at_once_then_waits_for_its_period():
    registry = _registry(("test.heartbeat", heartbeat))
    now = timezone.now()

    assert registry.run_due_jobs(now) == ["test.heartbeat"]
    assert registry.run_due_jobs(now + dt.timedelta(minutes=59)) == []
    assert registry.run_due_jobs(now + HOUR) == ["test.heartbeat"]

    assert _enqueued() == 2
    job = PeriodicJob.objects.get(name="test.heartbeat")
    assert (job.next_run_at, job.last_run_at) == (now + 2 * HOUR, now + HOUR)


@pytest.mark.django_db
def test_missed_runs_are_not_caught_up_one_by_one():
    registry = _registry(("test.heartbeat", heartbeat))
    now = timezone.now()
    PeriodicJob.objects.create(name="test.heartbeat", next_run_at=now - dt.timedelta(hours=5, minutes=30))

    assert registry.run_due_jobs(now) == ["test.heartbeat"]

    assert _enqueued() == 1
    assert PeriodicJob.objects.get(name="test.heartbeat").next_run_at == now + dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_plain_callables_run_and_a_broken_job_does_not_stop_the_others():
    calls = []

    def broken():
        raise RuntimeError("boom")

    registry = _registry(("test.a_broken", broken), ("test.b_tally", lambda: calls.append("tally")))

    assert registry.run_due_jobs() == ["test.b_tally"]
    assert calls == ["tally"]


def test_jobs_need_a_positive_interval_and_a_unique_name():
    registry = _registry(("test.heartbeat", heartbeat))
    with pytest.raises(ValueError):
        registry.periodic("test.other", every=dt.timedelta(0))
    with pytest.raises(ValueError):
        registry.periodic("test.heartbeat", every=HOUR)(lambda: None)


def test_the_audit_purge_is_a_daily_job():
    from rare.core.tasks import purge_audit_trail

    job = scheduling.registered()["core.audit_purge"]

    assert (job.every, job.target) == (dt.timedelta(days=1), purge_audit_trail)


@pytest.mark.django_db(transaction=True)
def test_worker_batch_starts_due_jobs_and_runs_them(settings):
    settings.RARE_AUDIT_RETENTION_DAYS = 30
    AuditEntry.objects.create(action="auth.login", at=timezone.now() - dt.timedelta(days=31))
    AuditEntry.objects.create(action="auth.login", at=timezone.now() - dt.timedelta(days=1))

    call_command("worker", batch=True, verbosity=0)

    assert AuditEntry.objects.filter(action="auth.login").count() == 1
    assert AuditEntry.objects.get(action="audit.purged").details["deleted"] == 1
    assert PeriodicJob.objects.get(name="core.audit_purge").next_run_at > timezone.now() + dt.timedelta(hours=23)
    call_command("worker", batch=True, verbosity=0)
    assert AuditEntry.objects.filter(action="audit.purged").count() == 1


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL (SQLite serialises writers)"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_job_locked_by_another_worker_is_skipped_without_waiting():
    registry = _registry(("test.heartbeat", heartbeat))
    now = timezone.now()
    PeriodicJob.objects.create(name="test.heartbeat", next_run_at=now)
    locked, release, results = threading.Event(), threading.Event(), []

    def other_worker():
        try:
            with transaction.atomic():
                PeriodicJob.objects.select_for_update().get(name="test.heartbeat")
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        results.append(registry.run_due_jobs(now))
    finally:
        release.set()
        thread.join()

    assert results == [[]]
    assert _enqueued() == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_start_a_due_job_once():
    registry = _registry(("test.heartbeat", heartbeat))
    now = timezone.now()
    PeriodicJob.objects.create(name="test.heartbeat", next_run_at=now)
    barrier = threading.Barrier(6)
    started = []

    def worker():
        try:
            barrier.wait(10)
            started.extend(registry.run_due_jobs(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert started == ["test.heartbeat"]
    assert _enqueued() == 1


@pytest.mark.django_db
def test_purge_task_removes_expired_entries(settings):
    from rare.core.tasks import purge_audit_trail

    settings.RARE_AUDIT_RETENTION_DAYS = 7
    AuditEntry.objects.create(action="auth.login", at=timezone.now() - dt.timedelta(days=8))

    assert purge_audit_trail.call() == 1
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["audit.purged"]
    audit.record("auth.login")
    assert purge_audit_trail.call() == 0
