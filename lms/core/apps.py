from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # In ready(): the checks module registers the deployment checks once Django is set up.
        from lms.core import checks  # noqa: F401
