"""Background work of the feedback area: telling participants when a form opens."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from rare.core.scheduling import periodic
from rare.learning.feedback import services


@periodic("learning.feedback_announce", every=dt.timedelta(minutes=15))
@task()
def announce_open_forms() -> int:
    """Announce every feedback form that has opened since the last run."""
    return services.announce_open_forms()
