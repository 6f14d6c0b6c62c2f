"""Counting posts per reader in Django's cache: comments and the
"Was this page helpful?" answers are rate-limited with it.

A fixed window per period: simple, atomic with every cache backend Django
ships (incr is atomic in Redis and memcached), and cheap. The local-memory
default counts per process; production shares one cache (Redis).

While the cache cannot be reached nothing is counted and every post is let
through (fail open): the robot checks and moderation still apply, and a
reader's comment matters more than the limit for a few minutes.
"""

import time

from django.core.cache import cache

from pagecache.backends import CacheUnavailable


def is_over_limit(*, key, limit, period):
    """Count one more hit for `key`; True when it is beyond `limit` in this period."""
    window = int(time.time() // period)
    cache_key = f"rate:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        hits = 1
    except CacheUnavailable:  # logged once per outage by the cache
        return False
    return hits > limit
