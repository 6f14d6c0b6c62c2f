"""Telling a post from our own pages apart from a post made by another site.

Browsers add an Origin header to every cross-site form post and a Referer
to almost every post; neither can be set by a page on another site. A post
is accepted when the header the browser sent names this site (or an origin
in CSRF_TRUSTED_ORIGINS). A post with neither header is refused, like
Django's CSRF check does for HTTPS.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost


def _origin_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[::1", an unclosed IPv6 address
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def _trusted(origin):
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _, host = trusted.lower().partition("://")
        if host.startswith("*."):
            if origin.startswith(f"{scheme}://") and origin.endswith(host[1:]):
                return True
        elif origin == trusted.lower():
            return True
    return False


def is_same_site_post(request):
    try:
        own = f"{request.scheme}://{request.get_host()}".lower()
    except DisallowedHost:
        return False
    # A missing or "null" Origin (privacy settings, sandboxed frames) falls
    # back to the Referer, which browsers also never let another site forge.
    origin_header = request.META.get("HTTP_ORIGIN", "null")
    source = origin_header if origin_header != "null" else request.META.get("HTTP_REFERER", "")
    origin = _origin_of(source)
    return origin is not None and (origin == own or _trusted(origin))
