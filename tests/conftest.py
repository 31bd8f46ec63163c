import pytest


@pytest.fixture(autouse=True)
def _french(settings):
    """Tests read the French interface, as users do."""
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (ids are reused after a test's rollback)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
