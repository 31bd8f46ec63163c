from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "lms.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.catalog import signals  # noqa: F401  (connects the receivers)
