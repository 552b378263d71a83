"""Admin of the learning app: each area registers its own models."""

from rare.learning.assessments import admin as _assessments_admin  # noqa: F401
from rare.learning.feedback import admin as _feedback_admin  # noqa: F401
