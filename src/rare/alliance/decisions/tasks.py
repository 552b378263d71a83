"""Periodic jobs of collective decisions: close on time, and remind those who have not answered."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from rare.alliance.decisions import services
from rare.core.scheduling import periodic


@periodic("alliance.decisions_close", every=dt.timedelta(minutes=1))
@task()
def close_due_proposals() -> int:
    """Announce proposals that have opened and close those past their deadline; returns how many closed."""
    return len(services.close_due_proposals())


@periodic("alliance.decisions_remind", every=dt.timedelta(minutes=15))
@task()
def send_decision_reminders() -> int:
    """Remind, once per proposal, the members who have not answered; returns how many were reminded."""
    return sum(services.send_reminders().values())
