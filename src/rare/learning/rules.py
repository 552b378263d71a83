"""Permissions of the learning app. Each area keeps its own rules; importing them here registers them."""

from rare.learning.assessments import rules as _assessment_rules  # noqa: F401
from rare.learning.feedback import rules as _feedback_rules  # noqa: F401
from rare.learning.library import rules as _library_rules  # noqa: F401
