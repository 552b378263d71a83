"""Background work of the assessments area: reminders to answer open rounds."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from rare.core.scheduling import periodic
from rare.learning.assessments import services


@periodic("learning.assessment_reminders", every=dt.timedelta(hours=6))
@task()
def remind_assessments_due() -> int:
    """Notify participants who have not answered an open round (each at most once per period)."""
    return services.send_due_reminders()
