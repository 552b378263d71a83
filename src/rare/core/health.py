"""Readiness probes of the parts the platform depends on."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError

log = logging.getLogger(__name__)


def database_ok(connection) -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        log.warning("readiness: database unreachable")
        return False


def tasks_ok() -> bool:
    """The task backend can take work: its table exists (database backend) or Redis answers."""
    backend = settings.TASKS["default"]["BACKEND"]
    try:
        if backend.startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
            return True
        if "rq" in backend.lower():
            import redis

            url = getattr(settings, "RARE_QUEUE_URL", "") or settings.REDIS_URL
            return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
        return True
    except Exception:  # any failure means "not ready"; the reason is logged, not shown
        log.warning("readiness: task backend %s unreachable", backend, exc_info=True)
        return False
