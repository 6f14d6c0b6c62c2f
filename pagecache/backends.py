"""Django's built-in Redis cache backend, keeping one redis-py client per
connection pool instead of making one per cache call.

Django's RedisCacheClient.get_client() builds a new redis.Redis object for
every get or set, and redis-py's constructor fills a table of some 170 reply
handlers each time: measured here, about 0.3 ms of CPU per call, more than
the Redis round trip itself, and the page cache makes one or two calls per
request. A redis.Redis object is safe to share between threads (each command
borrows a connection from the pool), and redis-py's pools reset themselves in
a forked gunicorn worker, so one client per pool is enough.

A Redis that does not answer is an outage to ride out, not an error to show:
reads miss and writes are dropped (the site renders pages afresh and keeps
working), after one failure Redis is left alone for a few seconds instead of
being waited on by every request (Outage below), and the start and the end
of an outage are logged once each.
"""

import logging
import os
import time

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger("pagecache")

# What redis-py raises when Redis cannot be reached or does not answer in time
# (socket_connect_timeout and socket_timeout in the cache OPTIONS).
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)


class CacheUnavailable(Exception):
    """Redis is down, for a call whose answer nothing can stand in for (incr,
    announce): the caller decides how to go on without it."""


_RAISE = object()
_MISSING = object()
# The keys of Django's {% cache %} tag and of cached_fragment: each names the
# content version it was made at, so what Redis holds under one never changes
# until it expires.
VERSIONED_KEY_PREFIX = "template.cache."
# The same holds for these: the moment of the next scheduled change is kept
# per content version (pagecache.versions.NEXT_CHANGE_KEY) until it passes.
VERSIONED_KEY_PREFIXES = (VERSIONED_KEY_PREFIX, "pagecache:next-change:")


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class Outage:
    """Whether Redis is known to be down, so that requests do not wait on it.

    After a failed call Redis is left alone for `pause` seconds (every call
    gives its fallback at once); the first call after that tries it again.
    Per process, like the connection pool.
    """

    def __init__(self, pause):
        self.pause = pause
        self.since = None
        self.retry_at = 0.0

    def blocks(self):
        return self.since is not None and time.monotonic() < self.retry_at

    def failed(self, error):
        now = time.monotonic()
        if self.since is None:
            self.since = now
            logger.warning(
                "Cache: Redis cannot be reached (%s); going on without it, "
                "trying again every %s s.",
                error,
                self.pause,
            )
        self.retry_at = now + self.pause

    def passed(self):
        if self.since is not None:
            logger.warning(
                "Cache: Redis answers again, after %.0f s without it.",
                time.monotonic() - self.since,
            )
            self.since = None


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache with the client reuse above, calls that fall back
    while Redis is down (see the module docstring; RETRY_AFTER, in seconds,
    sets how long it is left alone after a failure), and two things the page
    cache uses when they exist (local memory has neither):

    - `announce(key, value)` stores a value and publishes it on the key's
      channel in one MULTI, so every process sees changes in order, and
      `watch(key)` follows that channel: reading the value is then a
      non-blocking check of a socket this process already holds (pending
      announcements are applied first), not a round trip to Redis.
    - `local_copies`: this process's copies of cached pages, checked against
      the watched version, so a hit reads nothing from Redis at all; and of
      fragments and of the next scheduled change (keys starting with one
      of VERSIONED_KEY_PREFIXES, which change with the content version), each kept until its own expiry in Redis, so a
      rendered page reads its fragments without a round trip each.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self.local_copies = LocalCopies(params.get("LOCAL_ENTRIES", 500))
        self.outage = Outage(params.get("RETRY_AFTER", 5))
        self._announcements = None

    def _unless_down(self, method, fallback, *args):
        """`method(*args)`, or `fallback` while Redis cannot be reached."""
        if not self.outage.blocks():
            try:
                result = method(*args)
            except UNREACHABLE as error:
                self.outage.failed(error)
            else:
                self.outage.passed()
                return result
        if fallback is _RAISE:
            raise CacheUnavailable("Redis cannot be reached")
        return fallback

    def get(self, key, default=None, version=None):
        if not key.startswith(VERSIONED_KEY_PREFIXES):
            return self._unless_down(super().get, default, key, default, version)
        copy_key = ("fragment", key, version)
        kept = self.local_copies.get(copy_key)
        if kept is not None and time.monotonic() < kept[1]:
            return kept[0]
        value, seconds_left = self._unless_down(
            self._get_with_lifetime, (_MISSING, 0), key, version
        )
        if value is _MISSING:
            return default
        if seconds_left > 0:
            self.local_copies.remember(copy_key, (value, time.monotonic() + seconds_left))
        return value

    def _get_with_lifetime(self, key, version):
        """(value or _MISSING, seconds it has left in Redis) in one round trip."""
        redis_key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(redis_key)
        with client.pipeline(transaction=False) as pipe:
            pipe.get(redis_key)
            pipe.pttl(redis_key)
            raw, milliseconds = pipe.execute()
        if raw is None:
            return _MISSING, 0
        # A key with no expiry (PTTL -1) is left to Redis: it may be replaced.
        return self._cache._serializer.loads(raw), max(milliseconds, 0) / 1000

    def get_many(self, keys, version=None):
        return self._unless_down(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._unless_down(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_down(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if key.startswith(VERSIONED_KEY_PREFIXES):
            # Read back from Redis (with its expiry) on this process's next get.
            self.local_copies.pop(("fragment", key, version), None)
        return self._unless_down(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_down(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_down(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        self.local_copies.pop(("fragment", key, version), None)
        return self._unless_down(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._unless_down(super().delete_many, None, keys, version)

    def clear(self):
        self.local_copies.clear()
        return self._unless_down(super().clear, False)

    def incr(self, key, delta=1, version=None):
        """Raises CacheUnavailable while Redis is down (decr too: it calls incr)."""
        return self._unless_down(super().incr, _RAISE, key, delta, version)

    def announce(self, key, value):
        """Raises CacheUnavailable while Redis is down."""
        self._unless_down(self._announce, _RAISE, key, value)
        # This process must see its own change before it serves another page.
        self.watch(key).catch_up(value)

    def _announce(self, key, value):
        redis_key = self.make_and_validate_key(key)
        client = self._cache.get_client(write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(redis_key, self._cache._serializer.dumps(value))
            pipe.publish(f"{redis_key}{Announcements.SUFFIX}", value)
            pipe.execute()

    def watch(self, key):
        if self._announcements is None:
            self._announcements = Announcements(self)
        return Watch(self._announcements, key)


class LocalCopies(dict):
    """At most `size` entries; the oldest goes first."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def remember(self, key, entry):
        self.pop(key, None)
        while len(self) >= self.size:
            self.pop(next(iter(self)))
        self[key] = entry


class Announcements:
    """The values of announced keys as last announced, kept by this process:
    one pattern subscription (one connection) follows every key announce()
    stores, the site's content version and each page address's version alike.

    current(key) answers None whenever it cannot vouch for the value (not yet
    subscribed, connection lost, after a fork): the caller then reads the key
    from Redis as usual. A key's value is read once the subscription is
    confirmed, so an announcement can never fall between the two.
    """

    # Even so, each key is read again this often (seconds), in case a
    # connection died without telling anyone.
    RECHECK = 5
    # Keys followed at most; past that the table starts again (each key is
    # then read once more when next asked for).
    MOST_KEYS = 100_000
    SUFFIX = ":announced"

    def __init__(self, backend):
        self.backend = backend
        self.prefix = backend.make_and_validate_key("")
        self.pattern = f"{self.prefix}*{self.SUFFIX}"
        self.pubsub = self.pid = None
        self.confirmed = False
        # key: [value or None, when it was last read from Redis (monotonic)]
        self.values = {}

    def channel(self, key):
        return f"{self.backend.make_and_validate_key(key)}{self.SUFFIX}"

    def current(self, key):
        if self.backend.outage.blocks():
            return None
        try:
            self._apply_pending()
            if not self.confirmed:
                return None
            known = self.values.get(key)
            if known is None or known[0] is None or time.monotonic() - known[1] > self.RECHECK:
                if len(self.values) >= self.MOST_KEYS:
                    self.values.clear()
                known = self.values[key] = [self.backend.get(key), time.monotonic()]
            return known[0]
        except Exception:
            # Not counted as an outage: after one, the subscription's connection
            # is the stale one that fails first. The next read says whether
            # Redis is really down.
            self.pubsub = None
            self.confirmed = False
            return None

    def _apply_pending(self, *, timeout=0.0):
        """Apply what has arrived; the key of the last announcement applied, if any."""
        if self.pubsub is None or self.pid != os.getpid():
            self._start()
        last = None
        while (message := self.pubsub.get_message(timeout=timeout)) is not None:
            if message["type"] == "psubscribe":
                self.confirmed = True
                self.values.clear()
            elif message["type"] == "pmessage":
                channel = message["channel"].decode()
                key = channel[len(self.prefix) : -len(self.SUFFIX)]
                known = self.values.get(key)
                checked = known[1] if known is not None else time.monotonic()
                self.values[key] = [message["data"].decode(), checked]
                last = key
            if timeout:
                break
        return last

    def catch_up(self, key, value, *, timeout=0.5):
        """Apply announcements until `value` has come through for `key`; if it
        does not come in time, stop vouching (readers fall back to reading keys)."""
        deadline = time.monotonic() + timeout
        try:
            while self.pubsub is not None and self.confirmed and time.monotonic() < deadline:
                self._apply_pending(timeout=0.05)
                known = self.values.get(key)
                if known is not None and known[0] == value:
                    return
        except Exception as error:
            logger.warning("Page cache: lost the version announcements (%s).", error)
        self.pubsub = None
        self.confirmed = False

    def _start(self):
        self.pid, self.confirmed = os.getpid(), False
        self.values.clear()
        self.pubsub = self.backend._cache.get_client(write=False).pubsub()
        self.pubsub.psubscribe(self.pattern)


class Watch:
    """One key's side of Announcements: `current()` and `catch_up(value)`."""

    def __init__(self, announcements, key):
        self.announcements, self.key = announcements, key

    def current(self):
        return self.announcements.current(self.key)

    def catch_up(self, value, *, timeout=0.5):
        self.announcements.catch_up(self.key, value, timeout=timeout)
