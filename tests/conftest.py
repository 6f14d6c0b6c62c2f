import os
import uuid

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, uploaded files in a folder of the test's own, and an empty cache."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
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
                "BACKEND": "injurysite.cache.RedisCache",
                "LOCATION": TEST_REDIS_URL,
                "KEY_PREFIX": f"{prefix}-{uuid.uuid4().hex[:8]}",
            }
        }
    return request.param
