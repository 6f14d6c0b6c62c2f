"""Fragments on Redis: each process keeps its own copy of a fragment it has
read (its key names the content version, so the copy cannot go stale before
the entry's own expiry), and an edit still shows at once."""

import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.urls import reverse

from tests.conftest import TEST_REDIS_URL
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_redis(settings, redis_key_prefix):
    prefix = f"{redis_key_prefix}-copies-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    return redis.Redis.from_url(TEST_REDIS_URL), prefix


def test_a_fragment_read_once_is_answered_from_this_process_until_it_expires(on_redis):
    raw, prefix = on_redis
    key = make_template_fragment_key("sidebar", ["v1"])
    cache.set(key, "<p>kept</p>", timeout=1)
    cache.local_copies.clear()  # as another process, which has read nothing yet

    assert cache.get(key) == "<p>kept</p>"  # read from Redis, with its expiry
    raw.delete(*raw.keys(f"{prefix}*"))
    assert cache.get(key) == "<p>kept</p>"  # this process's copy, no round trip
    time.sleep(1.2)
    assert cache.get(key) is None  # expired here as it would have in Redis


def test_other_keys_are_always_read_from_redis(on_redis):
    raw, prefix = on_redis
    cache.set("comments:rate:x", 3, timeout=60)
    assert cache.get("comments:rate:x") == 3
    raw.delete(*raw.keys(f"{prefix}*"))
    assert cache.get("comments:rate:x") is None


def test_an_edit_shows_at_once_in_the_fragments_of_a_page(client, on_redis):
    article = ArticleFactory(title="Knee pain on stairs", body="<p>Old advice.</p>")
    url = reverse("articles:page", kwargs={"slug": article.slug})
    first = client.get(url).content.decode()
    assert "Knee pain on stairs" in first
    assert "Old advice." in first
    client.get(url)  # now from this process's copies

    article.title = "Knee pain going downstairs"
    article.body = "<p>New advice.</p>"
    article.save()

    page = client.get(url).content.decode()
    assert "Knee pain going downstairs" in page
    assert "New advice." in page
    assert "Old advice." not in page
