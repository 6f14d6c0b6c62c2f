import os
import uuid

import pytest
from django.core.cache import cache

from tests.merchant import start_merchant


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, uploaded files in a folder of the test's own, an empty
    cache, and the login guard off.

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
    # A fresh local-memory cache per test (even when REDIS_URL is set in the
    # shell), so no test sees pages another one cached.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }


# Redis for the tests that must also pass on the shared cache. Every run uses
# keys under a prefix of its own (and removes them at the end), so test runs
# and other sites on the same Redis never meet.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_key_prefix():
    import redis

    prefix = f"injurysite-test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            f"Redis is not reachable at {TEST_REDIS_URL} ({error}); start it "
            "(redis-server --daemonize yes) or point TEST_REDIS_URL at one."
        )
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """Run a test once on the local-memory cache and once on Redis (as in production)."""
    if request.param == "redis":
        prefix = request.getfixturevalue("redis_key_prefix")
        settings.CACHES = {
            "default": {
                "BACKEND": "pagecache.backends.RedisCache",
                "LOCATION": TEST_REDIS_URL,
                "KEY_PREFIX": f"{prefix}-{uuid.uuid4().hex[:8]}",
            }
        }
    return request.param


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
