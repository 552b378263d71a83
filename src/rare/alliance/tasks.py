"""Background tasks of the alliance app; each area keeps its own in its sub-package."""

from rare.alliance.decisions import tasks as _decision_tasks  # noqa: F401
from rare.alliance.plan import tasks as _plan_tasks  # noqa: F401
