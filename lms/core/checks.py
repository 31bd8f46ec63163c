"""System checks of the deployment (`manage.py check --deploy`)."""
from django.conf import settings
from django.core.checks import Error, Tags, register

from lms.core.site import base_url_problem


@register(Tags.security, deploy=True)
def check_base_url(app_configs, **kwargs):
    """Emails, QR codes and xAPI ids carry LMS_BASE_URL: in production it must be set, https and served here."""
    problem = base_url_problem(settings.LMS_BASE_URL, settings.ALLOWED_HOSTS)
    if settings.LMS_BASE_URL_FOLLOWS_REQUEST:
        problem = problem or "LMS_BASE_URL is not set: links would follow the host of each request."
    if problem:
        return [Error(problem, hint="Set LMS_BASE_URL, e.g. https://parcours-am.example.org", id="lms.E001")]
    return []
