"""The notification kinds of the assessments area (registered when the notifications module exists)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ASSESSMENT_DUE = "learning.assessment_due"


def register() -> None:
    try:
        from rare.core.notifications import register_kind
    except ImportError:  # the notifications module is not there yet
        return
    register_kind(ASSESSMENT_DUE, label=_("Self-assessment due"), app="learning")
