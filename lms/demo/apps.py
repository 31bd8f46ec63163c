from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`): the top of the house, it may import every app and none imports it."""

    name = "lms.demo"
    label = "demo"
    verbose_name = _("Demo")
