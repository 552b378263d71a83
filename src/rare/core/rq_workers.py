"""RQ workers for `rare worker` when the task queue lives in Redis (RARE_TASK_BACKEND=rq).

Django keeps one database connection per thread, and a forked child inherits the parent's open
sockets. Two processes talking over one PostgreSQL connection corrupt each other's conversation, so
the workers here make sure that never happens:

- `ForkingWorker` (the default) runs each job in a forked child, RQ's usual way: a job that crashes,
  leaks memory or hangs past its timeout cannot harm the worker. The parent closes its database
  connections before each fork (it hardly uses them), and the child closes those it opened before it
  exits, so the server sees an orderly goodbye rather than a dropped socket. The scheduler thread of
  `rare worker` holds `FORK_GUARD` while it uses the database, and a fork waits for it: a child never
  starts with a copy of a connection caught in the middle of a query (SQLite forbids carrying an open
  connection across a fork; PostgreSQL connections are left alone by the child).
- `InProcessWorker` runs the jobs in the worker's own process, one after the other, and treats each
  job like Django treats a request: connections that are broken or past their age are closed before
  and after it. It saves one fork and one database connection per job.

Both use the job class of django-tasks-rq, which turns an RQ job back into a django-tasks call.
"""

from __future__ import annotations

import threading

from django.db import close_old_connections, connections
from rq.worker import SimpleWorker, Worker

JOB_CLASS = "django_tasks_rq.backend.Job"


FORK_GUARD = threading.Lock()


class ForkingWorker(Worker):
    def execute_job(self, job, queue):
        connections.close_all()  # never hand an open connection to the child
        return super().execute_job(job, queue)

    def fork_work_horse(self, job, queue):
        with FORK_GUARD:  # the child never returns from here; the parent lets go once it has forked
            super().fork_work_horse(job, queue)

    def perform_job(self, job, queue, execution):
        try:
            return super().perform_job(job, queue, execution)
        finally:
            if self._is_horse:
                connections.close_all()


class InProcessWorker(SimpleWorker):
    def perform_job(self, job, queue, execution):
        close_old_connections()
        try:
            return super().perform_job(job, queue, execution)
        finally:
            close_old_connections()


WORKER_CLASSES = {"fork": ForkingWorker, "in-process": InProcessWorker}


def make_worker(queue_names: list[str], *, kind: str = "fork", name: str | None = None) -> Worker:
    """An RQ worker on `queue_names` (all on the one Redis of RARE_QUEUE_URL)."""
    import django_rq

    return django_rq.get_worker(*queue_names, job_class=JOB_CLASS, worker_class=WORKER_CLASSES[kind], name=name)
