"""The deployment check of the PDF signing key (`manage.py check --deploy`)."""
from django.core.checks import Error, Tags, register

from lms.certificates.signing import configuration_problem


@register(Tags.security, deploy=True)
def check_pdf_signing(app_configs, **kwargs):
    """Attestations, certificats de réalisation and relevés are signed: production must be given the key to sign."""
    problem = configuration_problem()
    if problem:
        return [Error(problem, hint="Set PDF_SIGNING_KEY and PDF_SIGNING_CERT (paths or PEM text) and, if the key is "
                                    "encrypted, PDF_SIGNING_KEY_PASSPHRASE.", id="certificates.E001")]
    return []
