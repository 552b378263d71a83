"""Queueing a task so that it never runs ahead of the rows it reads.

A task queued inside a transaction can, with a queue outside the database (Redis), be picked up
before that transaction commits, when its rows are not visible yet, or for a transaction that then
rolls back. `enqueue_after_commit` therefore waits for the commit with such a queue. A queue kept in
the same database (django-tasks-db) is written in the transaction itself, which is better still:
the task exists if and only if the rows do; the test backends run the task at once, as they always do.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

# Backends whose queue is part of the database transaction, or that run the task on the spot.
IN_TRANSACTION = (
    "django_tasks_db.backend.DatabaseBackend",
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
)


def enqueue_after_commit(task, /, **kwargs) -> None:
    """Queue `task(**kwargs)` now if its queue is transactional, else once the transaction commits."""
    backend = type(task.get_backend())
    if f"{backend.__module__}.{backend.__qualname__}" in IN_TRANSACTION:
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, **kwargs))
