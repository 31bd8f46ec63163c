"""System checks of the certificates' deployment (`manage.py check --deploy`): the keys that sign what we issue."""
from django.core.checks import Error, Tags, register

from lms.certificates.badge_keys import key_problem
from lms.core.signing import configuration_problem


@register(Tags.security, deploy=True)
def check_pdf_signing(app_configs, **kwargs):
    """Attestations, certificats de réalisation and relevés are signed: production must be given the key to sign."""
    problem = configuration_problem()
    if problem:
        return [Error(problem, hint="Set PDF_SIGNING_KEY and PDF_SIGNING_CERT (paths or PEM text) and, if the key is "
                                    "encrypted, PDF_SIGNING_KEY_PASSPHRASE.", id="certificates.E001")]
    return []


@register(Tags.security, deploy=True)
def check_open_badges_key(app_configs, **kwargs):
    """Open Badges credentials need the platform's signing key, the same on every node (given, not generated)."""
    problem = key_problem()
    if problem:
        return [Error(problem, hint="Set OPEN_BADGES_SIGNING_KEY (a PEM RSA private key) or OPEN_BADGES_SIGNING_KEY_FILE "
                                    "(its path, readable by every node).", id="certificates.E002")]
    return []
