"""The page cache over HTTP: which requests and responses it takes, the
middleware that stores and serves pages, and the WSGI wrapper that answers
hits before Django's request handling. See the package docstring.

Each request is looked up in the cache once: by the WSGI wrapper when the site
runs under a WSGI server (injurysite/wsgi.py), which hands what it found on a
miss to the middleware (LOOKED_UP), or by the middleware itself otherwise
(the test client, or a server that calls Django's handler directly)."""

import gzip
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_vary_headers,
    set_response_etag,
)

from pagecache.versions import _lifetime, path_version_key, read_current, store

try:  # optional: pages are kept gzip-compressed always, brotli-compressed when it is installed
    import brotli
except ImportError:  # pragma: no cover - exercised only where brotli is not installed
    brotli = None

logger = logging.getLogger("pagecache")

# v2: entries carry their compressed copies (an older release's entries are never read).
PAGE_KEY = "pagecache:page:v2:{digest}"
# The number of misses so far, kept when PAGE_CACHE_COUNT_MISSES is on.
MISSES_KEY = "pagecache:misses"
HEADER = "X-Page-Cache"
# django.contrib.messages' cookie; a request carrying it is about to show a message.
MESSAGES_COOKIE = "messages"
CACHEABLE_STATUS = frozenset({200, 301})
# Response headers the cache sets itself on every answer it gives.
OWN_HEADERS = frozenset({"etag", "cache-control", HEADER.lower()})
# The environ key (not an HTTP header, so no client can send it) under which the
# WSGI wrapper passes (key, version) of a cacheable request it found no page for.
LOOKED_UP = "pagecache.looked_up"
# Compressed copies: smallest first, so a reader accepting both gets brotli.
# Bodies shorter than COMPRESS_MIN_BYTES gain nothing from compression.
ENCODINGS = ("br", "gzip") if brotli is not None else ("gzip",)
COMPRESS_MIN_BYTES = 200
COMPRESSIBLE_TYPES = ("text/", "application/rss+xml", "application/xml", "application/json")
# Levels for a page compressed once per content version: on a 25 KB page,
# gzip 6 took 0.5 ms and brotli 5 0.3 ms, against 1 ms for gzip 9 (the same
# size) and 20 ms for brotli 11 (17 % smaller), on this project's 2-core machine.
GZIP_LEVEL = 6
BROTLI_QUALITY = 5


def compressed_copies(content, content_type):
    """{encoding: bytes} of `content` in each encoding of ENCODINGS, or {} for
    a short body or a type that does not compress (an image, say)."""
    if len(content) < COMPRESS_MIN_BYTES or not content_type.startswith(COMPRESSIBLE_TYPES):
        return {}
    copies = {"gzip": gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)}
    if brotli is not None:
        copies["br"] = brotli.compress(content, quality=BROTLI_QUALITY)
    return copies


def accepted_encoding(request, offered):
    """The encoding of `offered` the request's Accept-Encoding prefers (by
    q-value, then in ENCODINGS' order), or None for the page as it is."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if not offered or not header:
        return None
    weights = {}
    for part in header.split(","):
        name, _, parameters = part.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name.strip().lower()] = weight
    best, best_weight = None, 0.0
    for encoding in ENCODINGS:
        weight = weights.get(encoding, weights.get("*", 0.0))
        if encoding in offered and weight > best_weight:
            best, best_weight = encoding, weight
    return best


def _variant_etag(etag, encoding):
    """A strong ETag of its own for each encoding of a page (RFC 9110 8.8.3)."""
    if not etag or encoding is None:
        return etag
    return f'{etag[:-1]}-{encoding}"' if etag.endswith('"') else etag


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


def _cache_control(seconds):
    return f"public, max-age=0, s-maxage={max(0, min(seconds, settings.PAGE_CACHE_SHARED_MAX_AGE))}"


def lookup(request):
    """(key, current version, entry or None): at most one cache read (versions.read_current)."""
    key = page_key(request)
    version, entry = read_current(key, path_version_key(request.path))
    return key, version, entry


def answer(request, entry, outcome):
    """The stored page, or 304 when the reader already holds it."""
    _version, status, headers, content, _etag, _copies, _expires = entry
    if status == 301:
        response = HttpResponsePermanentRedirect(dict(headers)["Location"])
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return _label(request, response, entry, outcome)


def _label(request, response, entry, outcome):
    """`response` with the cache's headers, in the encoding the reader
    accepts, or Django's 304 (which keeps ETag, Cache-Control and Vary) when
    the request's If-None-Match holds that encoding's ETag."""
    _version, _status, _headers, _content, etag, copies, expires = entry
    encoding = accepted_encoding(request, copies)
    if copies:
        patch_vary_headers(response, ["Accept-Encoding"])
    if encoding is not None:
        response.content = copies[encoding]
        response["Content-Encoding"] = encoding
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    etag = _variant_etag(etag, encoding)
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = _cache_control(int(expires - time.time()))
    response = get_conditional_response(request, etag=etag, response=response)
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
        looked_up = request.META.get(LOOKED_UP)
        if looked_up is not None:
            (key, version), entry = looked_up, None
        else:
            try:
                key, version, entry = lookup(request)
            except Exception:
                logger.exception("Page cache: the cache cannot be read; serving uncached.")
                return self._bypass(request)
        if entry is not None:
            return answer(request, entry, "hit")
        if settings.PAGE_CACHE_COUNT_MISSES:
            count_miss()
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
        return _label(request, response, entry, "miss")

    def _bypass(self, request):
        response = self.get_response(request)
        response[HEADER] = "bypass"
        return response

    def _store(self, key, version, started, response):
        if version is None:  # the cache cannot be reached
            return None
        lifetime = _lifetime(version[0], started)
        if lifetime < 1:
            return None
        if not response.has_header("ETag"):
            set_response_etag(response)  # none on an empty body (a 301)
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS
        ]
        entry = (
            version,
            response.status_code,
            headers,
            response.content,
            response.get("ETag"),
            compressed_copies(response.content, response.get("Content-Type", "")),
            time.time() + lifetime,
        )
        store(key, entry, lifetime)
        return entry


def count_miss():
    """Add one to the misses counted under MISSES_KEY (by every process
    sharing the cache), so a benchmark can tell hits from misses without
    reading each answer's X-Page-Cache header: hits are its requests less
    the misses counted meanwhile. A count that cannot be kept is dropped."""
    try:
        try:
            cache.incr(MISSES_KEY)
        except ValueError:  # the first miss: the counter does not exist yet
            if not cache.add(MISSES_KEY, 1, timeout=None):
                cache.incr(MISSES_KEY)
    except Exception:
        logger.debug("Page cache: could not count a miss.", exc_info=True)


def serve_cached_pages_first(application):
    """Wrap the WSGI `application` so a page cache hit is answered before Django
    handles the request at all (no request signals, no middleware, no URL
    resolving): the same rules, key and answer as PageCacheMiddleware, which
    still does everything else (misses, storing, bypasses). On a miss the key
    and version it read go to the middleware with the request (LOOKED_UP), so
    that the page is not looked up a second time. Any trouble here (a bad
    Host header, an unreachable cache) falls through to Django, which answers
    and logs it the usual way. injurysite/wsgi.py applies it.

    The server's `environ` is never changed: the request is built on a copy,
    because WSGIRequest rewrites the PATH_INFO it is given (decoded text in
    place of the server's latin-1 string), and Django, handed that environ,
    could not decode it again (a percent-encoded character above U+00FF
    would answer 500); the marker goes into another copy.
    """

    def serve(environ, start_response):
        if settings.PAGE_CACHE_ENABLED and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            try:
                request = WSGIRequest(environ.copy())
                found = lookup(request) if request_is_cacheable(request) else None
            except Exception:
                found = None
            if found is not None and found[2] is not None:
                response = answer(request, found[2], "hit")
                start_response(
                    f"{response.status_code} {response.reason_phrase}", list(response.items())
                )
                return [response.content]
            if found is not None:
                environ = {**environ, LOOKED_UP: found[:2]}
        return application(environ, start_response)

    return serve
