from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "lms.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.learning import signals  # connects the receivers

        signals.connect_page_deletions()
