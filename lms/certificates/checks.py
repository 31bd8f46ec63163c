"""System checks of the certificates' deployment (`manage.py check --deploy`)."""
from django.core.checks import Error, Tags, register

from lms.certificates.badge_keys import key_problem


@register(Tags.security, deploy=True)
def check_open_badges_key(app_configs, **kwargs):
    """Open Badges credentials need the platform's signing key, the same on every node (given, not generated)."""
    problem = key_problem()
    if problem:
        return [Error(problem, hint="Set OPEN_BADGES_SIGNING_KEY (a PEM RSA private key) or OPEN_BADGES_SIGNING_KEY_FILE "
                                    "(its path, readable by every node).", id="lms.E010")]
    return []
