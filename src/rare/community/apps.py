from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "rare.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from rare.community import search  # noqa: F401  (connects the signals that keep the index current)
