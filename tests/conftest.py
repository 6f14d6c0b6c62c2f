import pytest

from tests.merchant import start_merchant


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, and uploaded files in a folder of the test's own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def merchant(settings):
    """A merchant on 127.0.0.1 that affiliate links may point to (http allowed for it)."""
    server = start_merchant()
    settings.AFFILIATE_ALLOWED_HOSTS = [*settings.AFFILIATE_ALLOWED_HOSTS, "127.0.0.1"]
    settings.AFFILIATE_ALLOWED_SCHEMES = ["https", "http"]
    yield server
    server.shutdown()
    server.server_close()
