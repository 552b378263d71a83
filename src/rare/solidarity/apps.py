from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolidarityConfig(AppConfig):
    name = "rare.solidarity"
    label = "solidarity"
    verbose_name = _("Solidarity")

    def ready(self) -> None:
        from rare.core.notifications import register_kind
        from rare.solidarity import rules  # noqa: F401

        register_kind("alert.pledged", label=_("Response pledged on an alert"), app="solidarity")
