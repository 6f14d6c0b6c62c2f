"""Finding links in stored rich text.

Articles store every link of their body when saved (Article.links, made by
articles.rendering), so nothing here reads an article body again; other
rich text (category intros, flat pages) is read with core.markup, the one
parser of stored HTML.
"""

import re
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from affiliates.hosts import host_of, is_affiliate_host
from core.markup import anchors_of, parse


@cache
def _go_path_pattern():
    prefix = reverse("affiliates:go", kwargs={"slug": "slug-here"}).removesuffix("slug-here/")
    return re.compile(rf"^{re.escape(prefix)}(?P<slug>[-\w]+)/?$")


def go_slug_of(href):
    """The link slug when `href` (unescaped) is this site's /go/<slug>/
    address, else None.

    Relative addresses and absolute ones on one of this site's own hosts both
    count, so an editor who pastes the full address is understood.
    """
    href = (href or "").strip()
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


def links_in(markup):
    """[[href, start, end of start tag, end]] of every link in `markup`: the
    shape Article.links stores."""
    return [
        [tag.attrs.get("href", ""), tag.start, tag.end, end]
        for tag, end in anchors_of(parse(markup))
    ]


def hrefs_of_article(article):
    """Every link's href in an article's body, from what its save stored."""
    return [link[0] for link in article.links]


def go_slugs_of(hrefs):
    """Slugs of the /go/ links among `hrefs`, in order of first appearance."""
    slugs = (go_slug_of(href) for href in hrefs)
    return list(dict.fromkeys(slug for slug in slugs if slug))


def uncloaked_links_of(hrefs):
    """Raw links to an affiliate host among `hrefs` (not through /go/)."""
    return list(dict.fromkeys(href for href in hrefs if is_affiliate_host(href)))
