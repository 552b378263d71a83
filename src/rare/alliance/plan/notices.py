"""The notices of the action plan and of working-group meetings, sent through `rare.core.notifications`.

E-mail subjects and bodies live under `alliance/notifications/`; the kinds are registered when the app
is ready (see `rare.alliance.apps`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KINDS = {
    "action.changed": _("An action your organisation owns changed or is late"),
    "group.meeting": _("A meeting of your working group was scheduled"),
}


def register_kinds() -> None:
    try:
        from rare.core.notifications import register_kind
    except ImportError:  # the notifications module is not installed: nothing to register with
        return
    for key, label in KINDS.items():
        register_kind(key, label=label, app="alliance")
