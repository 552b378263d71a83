"""Background tasks of the core."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from rare.core import audit
from rare.core.scheduling import periodic


@periodic("core.audit_purge", every=dt.timedelta(days=1))
@task()
def purge_audit_trail() -> int:
    """Remove audit entries older than RARE_AUDIT_RETENTION_DAYS; returns how many went."""
    return audit.purge_expired()
