from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "rare.reports"
    label = "reports"
    verbose_name = _("Reports and messages")

    def ready(self) -> None:
        from rare.core.notifications import register_kind

        register_kind("message.sent", label=_("Message from the programme team"), app="reports")
