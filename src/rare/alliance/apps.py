from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "rare.alliance"
    label = "alliance"
    verbose_name = _("Alliance")

    def ready(self) -> None:
        from rare.alliance.plan import notices as plan_notices

        plan_notices.register_kinds()

        from rare.alliance.decisions import notices as decision_notices

        decision_notices.register_kinds()
