"""The notices of decisions and joint statements, sent through `rare.core.notifications`.

Each kind has an e-mail subject and body under `alliance/notifications/`. Kinds are registered when
the app is ready (see `rare.alliance.apps`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

KINDS = {
    "decision.opened": _("A decision you take part in is open"),
    "decision.reminder": _("Reminder: a decision awaits your answer"),
    "decision.closed": _("A decision has closed"),
    "decision.outcome_due": _("Your proposal has closed: record its outcome"),
    "statement.opened": _("A joint statement is open for signature"),
    "statement.published": _("A joint statement has been published"),
}


def register_kinds() -> None:
    try:
        from rare.core.notifications import register_kind
    except ImportError:  # the notifications module is not installed: nothing to register with
        return
    for key, label in KINDS.items():
        register_kind(key, label=label, app="alliance")


def send(*, kind: str, target, recipients: Iterable[int] | None, dedupe_key: str, topic: dict | None = None) -> None:
    """Hand one notice to the platform's notifications (in the caller's transaction)."""
    try:
        from rare.core.notifications import notify
    except ImportError:  # the notifications module is not installed: nothing to send through
        return
    notify(
        kind=kind,
        target=target,
        recipients=list(recipients) if recipients is not None else None,
        topic=topic,
        dedupe_key=dedupe_key,
    )
