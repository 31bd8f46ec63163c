from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms.classroom"
    verbose_name = _("Class sessions and sign-in sheets")

    def ready(self):
        # The hours of the séances signed present are part of the realised duration (lms.learning.realised).
        # Imported here: the registry is read once the apps are loaded.
        from lms.classroom.selectors import attended_seconds
        from lms.learning.realised import TimeSource, register_time_source

        register_time_source(TimeSource("seances", _("Class sessions attended (in person or virtual class)"),
                                        attended_seconds))
