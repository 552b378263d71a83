"""The notification kind of the feedback area (registered when the notifications module exists)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FEEDBACK_OPEN = "learning.feedback_open"


def register() -> None:
    try:
        from rare.core.notifications import register_kind
    except ImportError:  # the notifications module is not there yet
        return
    register_kind(FEEDBACK_OPEN, label=_("Feedback form open"), app="learning")


def notify_open(form, recipients) -> None:
    """Tell the people who may answer `form` that it is open (once: the dedupe key is per form)."""
    try:
        from rare.core.notifications import notify
    except ImportError:  # the notifications module is not there yet
        return
    notify(
        kind=FEEDBACK_OPEN,
        target=form,
        recipients=recipients,
        dedupe_key=f"{FEEDBACK_OPEN}:{form.pk}",
    )
