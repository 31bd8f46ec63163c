from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.accounts import signals  # noqa: F401  (connects the receivers)
