"""Background tasks of the core."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from rare.core import audit
from rare.core.scheduling import periodic


@periodic("core.audit_purge", every=dt.timedelta(days=1))
@task()
def purge_audit_trail() -> int:
    """Remove audit entries older than RARE_AUDIT_RETENTION_DAYS; returns how many went."""
    return audit.purge_expired()


# --- Notifications (see rare.core.notifications) --------------------------------------------------


@task(queue_name="notifications")
def fan_out_notice(*, notice_id: int) -> int:
    """Create the in-app notices of a notice for everyone it is for, then start its emails."""
    from rare.core import notifications

    return notifications.fan_out(notice_id)


@task(queue_name="notifications")
def send_notice_emails(*, notice_id: int) -> int:
    """Send the pending emails of a notice, batch after batch."""
    from rare.core import notifications

    return notifications.send_notice(notice_id)


@task(queue_name="notifications")
def send_digests() -> int:
    """Send the daily digests that wait."""
    from rare.core import notifications

    return notifications.send_all_digests()


@periodic("notifications.sweep", every=dt.timedelta(seconds=settings.RARE_NOTIFY_SWEEP_SECONDS))
@task(queue_name="notifications")
def sweep_notifications() -> dict:
    """Restart fan-outs and emails that a stopped worker left unfinished."""
    from rare.core import notifications

    return notifications.sweep()


@periodic("notifications.digest", every=dt.timedelta(days=1))
@task(queue_name="notifications")
def collect_and_send_digests() -> int:
    """Once a day: one digest per member with notices waiting for it, then send them."""
    from rare.core import notifications

    collected = notifications.collect_digests()
    notifications.send_all_digests()
    return collected
