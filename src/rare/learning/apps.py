from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "rare.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from rare.learning import rules  # noqa: F401  (registers the permissions)
        from rare.learning.assessments import notices

        notices.register()
        from rare.learning.feedback import notices as feedback_notices

        feedback_notices.register()
