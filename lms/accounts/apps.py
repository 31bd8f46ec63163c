from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.core.signals import request_finished

        from lms.accounts.sessions import forget_loaded_user  # sessions imports models: not before ready()

        request_finished.connect(forget_loaded_user, dispatch_uid="lms-accounts-forget-loaded-user")
