"""A whole-page cache for anonymous readers, invalidated exactly and at once.

How it works
- A page an anonymous reader may see is stored under its address (scheme,
  host, path and the few query parameters listed in PAGE_CACHE_QUERY_PARAMS),
  in Django's default cache: local memory, or Redis when REDIS_URL is set so
  that several app servers share it.
- Each stored entry records the site-wide *content version* it was rendered
  at. content_changed() gives the site a new version, so from that moment no
  stored page matches and each is rendered afresh on its next request. The
  version and the page are read together (one get_many, one round trip to
  Redis), so a hit costs no database query at all.
- We chose one site-wide version over tracking which pages show which object:
  a changed title shows on its article, its hub, the home page and the Recent
  Articles of every other page, and later in comments counts and affiliate
  boxes. Tracking that exactly is fragile; re-rendering every page once after
  an edit is cheap (a few milliseconds each) and can never miss a page.
- Scheduled articles need no worker: no entry outlives the next scheduled
  publish time (one indexed query, itself cached per version until that time
  passes). So the article appears on every cached page the second it is due.
  The alternative, short-lived entries, would re-render every page every
  minute for nothing, and still leave readers up to a minute behind.

What is never cached: anything but GET and HEAD; requests carrying the session
or messages cookie (logged-in users, a page showing a message); the paths in
PAGE_CACHE_EXCLUDED_PATHS (admin, previews, redirects that count clicks...);
responses other than 200 and 301 (a 404 is cheap to render, and caching every
mistyped address would let anyone fill the cache); responses that set a
cookie, are marked private or no-store, or vary on the cookie of a request
that sent one. A page that sets a cookie (Django's csrftoken, for one) is
therefore never stored: public pages must set none.

Cached pages carry an ETag and answer If-None-Match with 304, and send
`Cache-Control: public, max-age=0, s-maxage=N`: browsers revalidate every
time (cheap: a 304 from the cache), so a reader never sees an old page after
an edit, while a shared proxy may keep the page for N seconds (our nginx
micro-cache, deploy/nginx/injurysite.conf). The header X-Page-Cache says what
happened: hit, miss (rendered and stored), bypass (not cacheable) or off.
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
NEXT_CHANGE_KEY = "pagecache:next-change:{version}"
PAGE_KEY = "pagecache:page:{digest}"
FRAGMENT_KEY = "pagecache:fragment:{name}"
HEADER = "X-Page-Cache"
# django.contrib.messages' cookie; a request carrying it is about to show a message.
MESSAGES_COOKIE = "messages"
CACHEABLE_STATUS = frozenset({200, 301})
# Response headers the cache sets itself on every answer it gives.
OWN_HEADERS = frozenset({"etag", "cache-control", HEADER.lower()})


def content_changed(*, using=None):
    """Make every cached page stale: call it after any change a reader could see.

    Called today by Article and Category save() and delete() and by their
    querysets' update(), delete(), bulk_create() and bulk_update()
    (PageContentQuerySet below), and by the flat page admin (articles.admin).
    To wire in the same way as those parts land: approving, removing or marking
    a comment as spam (comments.moderation), saving or deleting an affiliate
    link (articles.models.affiliate), and anything else that changes what a
    public page shows. Bulk loaders that bypass the ORM call it once at the end.

    The version changes at once, so the rest of this request (and the tests)
    see fresh pages; when called inside a transaction it changes again after
    the commit, because a page rendered by another request between the first
    change and the commit would hold the old rows under the new version.
    A cache that cannot be reached is logged, not raised: while it is down
    nothing is served from it either, and an editor's save must not fail.
    """
    _new_version()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_new_version, using=using)


def _new_version():
    version = uuid.uuid4().hex
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:
        logger.exception("Page cache: could not store a new content version.")
    return version


def current_version():
    """The site's content version, made on first use (or after the cache was emptied)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() keeps the first of several racing processes' values.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def next_scheduled_change():
    """Unix time of the next moment public pages change by themselves, or None.

    Today that is the next scheduled article's publish time. Content that
    appears or disappears on a timer of its own must be added here.
    """
    from articles.models import Article

    moment = Article.objects.next_publish_time()
    return moment.timestamp() if moment else None


def _next_change(version, now):
    key = NEXT_CHANGE_KEY.format(version=version)
    moment = cache.get(key)
    if moment is None:
        moment = next_scheduled_change() or 0
        # Kept until the moment passes, then asked again; 0 means "none".
        timeout = max(1, int(moment - now)) if moment else settings.PAGE_CACHE_TIMEOUT
        cache.set(key, moment, timeout=timeout)
    return moment or None


def cached_fragment(name, build):
    """The string `build()` returns, kept until content changes: for parts that
    are the same on every page (Recent Articles, the category navigation).

    Kept under the same content version and the same next-scheduled-change
    bound as whole pages, so a fragment is exactly as fresh as a page. It
    spares every rendered page (the page cache's misses, logged-in editors,
    and everything when PAGE_CACHE_ENABLED is off) those parts' queries and
    most of its template work. FRAGMENT_CACHE_ENABLED=false switches it off.
    """
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    key = FRAGMENT_KEY.format(name=name)
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or current_version()
    except Exception:
        logger.exception("Page cache: the cache cannot be read; building %s afresh.", name)
        return build()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    started = time.time()
    value = build()
    try:
        lifetime = _lifetime(version, started)
        if lifetime >= 1:
            cache.set(key, (version, value), timeout=lifetime)
    except Exception:
        logger.exception("Page cache: could not store %s.", name)
    return value


def _lifetime(version, started):
    """Seconds an entry rendered from `started` on may be kept: no longer than
    PAGE_CACHE_TIMEOUT, and never past the next scheduled change (counted
    from when rendering began, so a render that straddles that moment is not
    kept at all)."""
    lifetime = settings.PAGE_CACHE_TIMEOUT
    next_change = _next_change(version, started)
    if next_change is not None:
        lifetime = min(lifetime, int(next_change - time.time()))
    return lifetime


class PageContentQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes change public pages: each one calls content_changed().

    Model.save() and Model.delete() of the same models call it themselves.
    """

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        content_changed(using=self.db)
        return rows

    def delete(self):
        result = super().delete()
        content_changed(using=self.db)
        return result

    def bulk_create(self, *args, **kwargs):
        objs = super().bulk_create(*args, **kwargs)
        content_changed(using=self.db)
        return objs

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        content_changed(using=self.db)
        return rows


def request_is_cacheable(request):
    """True when the answer to `request` may come from, or go into, the page cache."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    return all(name in allowed for name in request.GET)


def page_key(request):
    query = "&".join(
        f"{name}={request.GET[name]}"
        for name in sorted(settings.PAGE_CACHE_QUERY_PARAMS)
        if name in request.GET
    )
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return PAGE_KEY.format(digest=digest)


def response_is_storable(request, response):
    if response.status_code not in CACHEABLE_STATUS or response.streaming:
        return False
    if response.cookies:
        return False
    control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store", "no-cache"}:
        return False
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))} - {""}
    if vary - {"cookie", "accept-encoding"}:
        return False
    if "cookie" in vary and request.COOKIES:
        return False
    messages = getattr(request, "_messages", None)
    shows_messages = messages is not None and (
        messages.used or getattr(messages, "_queued_messages", None)
    )
    return not shows_messages


def _etag(content):
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def _cache_control(seconds):
    return f"public, max-age=0, s-maxage={max(0, min(seconds, settings.PAGE_CACHE_SHARED_MAX_AGE))}"


def _not_modified(request, etag):
    wanted = request.META.get("HTTP_IF_NONE_MATCH")
    if not wanted:
        return False
    tags = parse_etags(wanted)
    return "*" in tags or etag in tags or etag in {tag.removeprefix("W/") for tag in tags}


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache; see the module docstring.

    Put it first in MIDDLEWARE: a hit then skips every other middleware, and
    what it stores carries the headers all of them added (security headers
    included), so a hit answers exactly like the render it replaces.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            response[HEADER] = "off"
            return response
        if not request_is_cacheable(request):
            return self._bypass(request)
        key = page_key(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or current_version()
        except Exception:
            logger.exception("Page cache: the cache cannot be read; serving uncached.")
            return self._bypass(request)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return self._answer(request, entry, "hit")
        started = time.time()
        response = self.get_response(request)
        if not response_is_storable(request, response):
            response[HEADER] = "bypass"
            return response
        try:
            entry = self._store(key, version, started, response)
        except Exception:
            logger.exception("Page cache: could not store a page.")
            entry = None
        if entry is None:
            response[HEADER] = "bypass"
            return response
        if _not_modified(request, entry[4]):
            return self._answer(request, entry, "miss")
        return self._label(response, entry, "miss")

    def _bypass(self, request):
        response = self.get_response(request)
        response[HEADER] = "bypass"
        return response

    def _store(self, key, version, started, response):
        lifetime = _lifetime(version, started)
        if lifetime < 1:
            return None
        content = response.content
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS
        ]
        etag = response.get("ETag") or _etag(content)
        entry = (version, response.status_code, headers, content, etag, time.time() + lifetime)
        cache.set(key, entry, timeout=lifetime)
        return entry

    def _answer(self, request, entry, outcome):
        """The stored page, or 304 when the reader already holds it."""
        _version, status, headers, content, etag, _expires = entry
        if _not_modified(request, etag):
            response = HttpResponseNotModified()
        elif status == 301:
            response = HttpResponsePermanentRedirect(dict(headers)["Location"])
        else:
            response = HttpResponse(content, status=status)
        if response.status_code != 304:
            for name, value in headers:
                response[name] = value
        return self._label(response, entry, outcome)

    def _label(self, response, entry, outcome):
        response["ETag"] = entry[4]
        response["Cache-Control"] = _cache_control(int(entry[5] - time.time()))
        response[HEADER] = outcome
        return response
