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


# Backends whose data lives in one process (or nowhere): rate limits, sessions and shared fragments would differ
# from one worker or node to the next.
PROCESS_LOCAL_CACHES = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"}
PROCESS_LOCAL_STORAGES = {"django.core.files.storage.InMemoryStorage",
                          "django.core.files.storage.memory.InMemoryStorage"}


@register(Tags.caches, deploy=True)
def check_shared_state(app_configs, **kwargs):
    """In production every worker and node reads the same cache and the same stored files (README, several nodes)."""
    errors = []
    if settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        errors.append(Error("The default cache is private to each process.",
                            hint="Use Redis (REDIS_URL) or the database cache.", id="lms.E002"))
    if settings.STORAGES["default"]["BACKEND"] in PROCESS_LOCAL_STORAGES:
        errors.append(Error("Uploaded files are kept in the memory of one process.",
                            hint="Use the file system (MEDIA_ROOT) or a bucket (AWS_STORAGE_BUCKET_NAME).",
                            id="lms.E003"))
    return errors
