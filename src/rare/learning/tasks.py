"""Background tasks of the learning app. Each area keeps its own; importing them here registers them."""

from rare.learning.assessments.tasks import remind_assessments_due  # noqa: F401
from rare.learning.feedback.tasks import announce_open_forms  # noqa: F401
