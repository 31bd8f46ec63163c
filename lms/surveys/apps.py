from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms.surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.learning.indicators import register_indicator
        from lms.surveys.services import satisfaction_rates

        register_indicator("satisfaction", satisfaction_rates)
