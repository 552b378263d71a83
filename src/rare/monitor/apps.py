from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "rare.monitor"
    label = "monitor"
    verbose_name = _("Civic-space monitor")

    def ready(self) -> None:
        from rare.core.notifications import register_kind
        from rare.monitor import rules  # noqa: F401

        register_kind(
            "spillover.warning", label=_("Early warning: a tactic reached a new country"), app="monitor", group="alerts"
        )
