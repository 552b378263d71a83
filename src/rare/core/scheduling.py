"""Periodic jobs: a registry, a table of next run times and a claim that runs each job once.

Register a django-tasks task (or a plain callable) in any app's `tasks.py`:

    @periodic("core.audit_purge", every=timedelta(days=1))
    @task()
    def purge_audit_trail() -> int: ...

`rare worker` calls `run_due_jobs()` about every 30 seconds. For each due job it claims the job's
row (PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`; SQLite: the IMMEDIATE transaction mode lets
one writer in at a time), moves its next run forward and enqueues the task, so however many workers
run, a job runs once per period. The database task backend enqueues in the claim's transaction (the
task exists if and only if the claim committed); the Redis backend enqueues right after that commit
(`rare.core.taskqueue`), so a claim that rolls back queues nothing, and a worker that dies in between
skips that one run, which the next period makes up. A plain callable runs right after the claim
commits, in the worker that claimed it. A new job is due at once; runs missed while no worker was
up are not caught up one by one: the job runs once and keeps its rhythm.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from rare.core.models import PeriodicJob
from rare.core.taskqueue import enqueue_after_commit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    target: Any  # a django_tasks Task (enqueued) or a plain callable (called)

    @property
    def is_task(self) -> bool:
        return hasattr(self.target, "enqueue")

    def start(self) -> None:
        if self.is_task:
            enqueue_after_commit(self.target)
        else:
            self.target()


class Registry:
    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}

    def periodic(self, name: str, *, every: dt.timedelta) -> Callable:
        """Decorator: run the task or callable every `every`, under a unique `name`."""
        if every <= dt.timedelta(0):
            raise ValueError("A periodic job needs a positive interval.")

        def register(target):
            existing = self.jobs.get(name)
            if existing is not None and existing.target is not target and _path(existing.target) != _path(target):
                raise ValueError(f"The periodic job {name!r} is registered twice.")
            self.jobs[name] = Job(name=name, every=every, target=target)
            return target

        return register

    def run_due_jobs(self, now: dt.datetime | None = None) -> list[str]:
        """Claim and start every job that is due; returns the names of the jobs this call started."""
        now = now or timezone.now()
        if not self.jobs:
            return []
        known = set(PeriodicJob.objects.filter(name__in=self.jobs).values_list("name", flat=True))
        missing = [PeriodicJob(name=name, next_run_at=now) for name in self.jobs if name not in known]
        if missing:
            PeriodicJob.objects.bulk_create(missing, ignore_conflicts=True)
        due = PeriodicJob.objects.filter(name__in=self.jobs, next_run_at__lte=now).values_list("name", flat=True)
        started = []
        for name in sorted(due):
            job = self.jobs[name]
            try:
                if self._claim_and_start(job, now):
                    started.append(name)
            except Exception:  # one broken job must not keep the others from running
                log.exception("scheduler: periodic job %s could not be started", name)
        return started

    @staticmethod
    def _claim_and_start(job: Job, now: dt.datetime) -> bool:
        with transaction.atomic():
            row = (
                PeriodicJob.objects.select_for_update(skip_locked=True)
                .filter(name=job.name, next_run_at__lte=now)
                .first()
            )
            if row is None:  # another worker holds it or has just run it
                return False
            row.next_run_at = next_run(row.next_run_at, job.every, now)
            row.last_run_at = now
            row.save(update_fields=["next_run_at", "last_run_at"])
            if job.is_task:
                job.start()  # in this transaction (database backend) or once it commits (Redis)
        if not job.is_task:
            job.start()
        log.info("scheduler: started %s, next run at %s", job.name, row.next_run_at.isoformat())
        return True


def next_run(previous: dt.datetime, every: dt.timedelta, now: dt.datetime) -> dt.datetime:
    """The first time after `now` on the rhythm that started at `previous`."""
    if previous > now:
        return previous
    missed = (now - previous) // every + 1
    return previous + every * missed


def _path(target) -> str:
    func = getattr(target, "func", target)
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"


registry = Registry()


def periodic(name: str, *, every: dt.timedelta) -> Callable:
    """Register a task or callable with the platform's scheduler (see the module docstring)."""
    return registry.periodic(name, every=every)


def autodiscover() -> None:
    """Import every installed app's `tasks` module, where periodic jobs are registered."""
    autodiscover_modules("tasks")


def registered() -> dict[str, Job]:
    autodiscover()
    return dict(registry.jobs)


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Start the platform's due periodic jobs once across all workers; returns what this call started."""
    autodiscover()
    return registry.run_due_jobs(now)
