import pytest
from django.core.cache import cache

from tests.merchant import start_merchant


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no rate-limit count carries over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def merchant(settings):
    """A merchant on 127.0.0.1 that affiliate links may point to (http allowed for it)."""
    server = start_merchant()
    settings.AFFILIATE_ALLOWED_HOSTS = [*settings.AFFILIATE_ALLOWED_HOSTS, "127.0.0.1"]
    settings.AFFILIATE_ALLOWED_SCHEMES = ["https", "http"]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file rather than in memory.

    Django's live server shares the test thread's one connection with every
    request thread when SQLite is in memory, so parallel requests would
    collide on that connection; with a file each thread has its own
    connection and SQLite's own locking, as when the site runs.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)



@pytest.fixture
def login_guard(settings):
    """django-axes switched on, as in production."""
    settings.AXES_ENABLED = True
    return settings
