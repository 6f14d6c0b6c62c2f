"""Finding links in stored rich text.

Bodies are stored after nh3 has cleaned them (articles.sanitize), so every
attribute is written `name="value"` with `"`, `<`, `>` and `&` escaped and
anchors never nest; a regular expression over that output is exact and much
cheaper than building a tree on every page view.
"""

import html
import re
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from affiliates.hosts import host_of, is_affiliate_host

ANCHOR = re.compile(r"<a\b(?P<attrs>(?:[^>\"]|\"[^\"]*\")*)>(?P<inner>.*?)</a\s*>", re.I | re.S)
ATTRIBUTE = re.compile(r"([^\s=\"'/>]+)(?:\s*=\s*\"([^\"]*)\")?")


@cache
def _go_path_pattern():
    prefix = reverse("affiliates:go", kwargs={"slug": "slug-here"}).removesuffix("slug-here/")
    return re.compile(rf"^{re.escape(prefix)}(?P<slug>[-\w]+)/?$")


def parse_attributes(text):
    """Attributes of a sanitised tag as an ordered {name: raw escaped value} dict."""
    return {name.lower(): value or "" for name, value in ATTRIBUTE.findall(text)}


def go_slug_of(href):
    """The link slug when `href` is this site's /go/<slug>/ address, else None.

    Relative addresses and absolute ones on one of this site's own hosts both
    count, so an editor who pastes the full address is understood.
    """
    href = html.unescape(href or "").strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        own_hosts = {host.lower() for host in settings.ALLOWED_HOSTS if host != "*"}
        if parts.scheme not in {"http", "https"} or host_of(href) not in own_hosts:
            return None
    match = _go_path_pattern().match(parts.path)
    return match["slug"] if match else None


def hrefs_in(markup):
    """Every anchor's href in `markup`, unescaped, in order."""
    return [
        html.unescape(parse_attributes(match["attrs"]).get("href", ""))
        for match in ANCHOR.finditer(markup or "")
    ]


def go_slugs_in(markup):
    """Slugs of the /go/ links in `markup`, in order of first appearance."""
    slugs = (go_slug_of(href) for href in hrefs_in(markup))
    return list(dict.fromkeys(slug for slug in slugs if slug))


def uncloaked_links_in(markup):
    """Raw links to an affiliate host pasted into `markup` (not through /go/)."""
    return list(dict.fromkeys(href for href in hrefs_in(markup) if is_affiliate_host(href)))
