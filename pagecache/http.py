"""The page cache over HTTP: which requests and responses it takes, the
middleware that stores and serves pages, and the WSGI wrapper that answers
hits before Django's request handling. See the package docstring."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponseNotModified, HttpResponsePermanentRedirect
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags

from pagecache.versions import _lifetime, read_current, store

logger = logging.getLogger("pagecache")

PAGE_KEY = "pagecache:page:{digest}"
HEADER = "X-Page-Cache"
# django.contrib.messages' cookie; a request carrying it is about to show a message.
MESSAGES_COOKIE = "messages"
CACHEABLE_STATUS = frozenset({200, 301})
# Response headers the cache sets itself on every answer it gives.
OWN_HEADERS = frozenset({"etag", "cache-control", HEADER.lower()})


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
    try:
        request.get_host()
    except DisallowedHost:
        return False  # Django answers it with 400 further on
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
    # A page that shows a message (loaded for this reader, or added while it
    # was rendered) is that reader's alone. Merely looking for messages, as
    # every page frame does, leaves nothing to show and keeps it cacheable.
    messages = getattr(request, "_messages", None)
    shows_messages = messages is not None and bool(
        getattr(messages, "_loaded_data", None) or getattr(messages, "_queued_messages", None)
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


def lookup(request):
    """(key, current version, entry or None): at most one cache read (versions.read_current)."""
    key = page_key(request)
    version, entry = read_current(key)
    return key, version, entry


def answer(request, entry, outcome):
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
    return _label(response, entry, outcome)


def _label(response, entry, outcome):
    response["ETag"] = entry[4]
    response["Cache-Control"] = _cache_control(int(entry[5] - time.time()))
    response[HEADER] = outcome
    return response


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
        try:
            key, version, entry = lookup(request)
        except Exception:
            logger.exception("Page cache: the cache cannot be read; serving uncached.")
            return self._bypass(request)
        if entry is not None:
            return answer(request, entry, "hit")
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
            return answer(request, entry, "miss")
        return _label(response, entry, "miss")

    def _bypass(self, request):
        response = self.get_response(request)
        response[HEADER] = "bypass"
        return response

    def _store(self, key, version, started, response):
        if version is None:  # the cache cannot be reached
            return None
        lifetime = _lifetime(version, started)
        if lifetime < 1:
            return None
        content = response.content
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS
        ]
        etag = response.get("ETag") or _etag(content)
        entry = (version, response.status_code, headers, content, etag, time.time() + lifetime)
        store(key, entry, lifetime)
        return entry


def serve_cached_pages_first(application):
    """Wrap the WSGI `application` so a page cache hit is answered before Django
    handles the request at all (no request signals, no middleware, no URL
    resolving): the same rules, key and answer as PageCacheMiddleware, which
    still does everything else (misses, storing, bypasses). Any trouble here
    (a bad Host header, an unreachable cache) falls through to Django, which
    answers and logs it the usual way. injurysite/wsgi.py applies it.

    The request is built on a copy of `environ`: WSGIRequest rewrites the
    PATH_INFO it is given (decoded text in place of the server's latin-1
    string), and Django, handed that environ, could not decode it again; a
    percent-encoded character above U+00FF would answer 500.
    """

    def serve(environ, start_response):
        if settings.PAGE_CACHE_ENABLED and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            try:
                request = WSGIRequest(environ.copy())
                entry = lookup(request)[2] if request_is_cacheable(request) else None
            except Exception:
                entry = None
            if entry is not None:
                response = answer(request, entry, "hit")
                start_response(
                    f"{response.status_code} {response.reason_phrase}", list(response.items())
                )
                return [response.content]
        return application(environ, start_response)

    return serve
