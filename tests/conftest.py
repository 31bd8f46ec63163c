import pytest


@pytest.fixture(autouse=True)
def _french(settings):
    """Tests read the French interface, as users do."""
    settings.LANGUAGE_CODE = "fr"
