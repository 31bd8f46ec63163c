from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScormConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms.scorm"
    verbose_name = _("SCORM 1.2 packages")

    def ready(self):
        # The time spent in the SCOs is part of the realised duration (lms.learning.realised).
        # Imported here: the registry is read once the apps are loaded.
        from lms.learning.realised import TimeSource, register_time_source
        from lms.scorm.selectors import attempt_seconds

        register_time_source(TimeSource("scorm", _("SCORM activities (session time)"), attempt_seconds))
