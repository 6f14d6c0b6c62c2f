import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, uploaded files in a folder of the test's own, login guard off.

    django-axes refuses authenticate() calls that carry no request, which is
    how client.login() calls it; tests of the guard itself switch it back on
    with the `login_guard` fixture.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = False


@pytest.fixture
def login_guard(settings):
    """django-axes switched on, as in production."""
    settings.AXES_ENABLED = True
    return settings
