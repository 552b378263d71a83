from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "rare.alliance"
    label = "alliance"
    verbose_name = _("Alliance")
