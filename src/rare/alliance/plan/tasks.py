"""Periodic job of the action plan: tell owner organisations when one of their actions becomes late."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from rare.alliance.plan import services
from rare.core.scheduling import periodic


@periodic("alliance.plan_late_actions", every=dt.timedelta(hours=6))
@task()
def notify_late_actions() -> int:
    """Each late action is announced once per due date (the notice's dedupe key); returns how many were checked."""
    return services.notify_late_actions()
