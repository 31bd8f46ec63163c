from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "lms.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # In ready(): models may be imported only once the app registry is loaded.
        from lms.certificates import checks, signals  # noqa: F401  (registers the checks, connects the receivers)
        from lms.certificates.selectors import revoked
        from lms.learning.qualification import register_qualification_withdrawal

        register_qualification_withdrawal(revoked)
