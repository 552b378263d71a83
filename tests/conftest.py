import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"
