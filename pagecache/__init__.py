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
- Each entry also records the version of its path: content_changed(paths=...)
  makes only the pages at those paths stale, for changes that show on a few
  known pages and in no fragment but those kept under those paths' versions
  (comments, see comments.models; an article's own page, articles.saving).
- Otherwise we chose one site-wide version over tracking which pages show which object:
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

Cached pages carry an ETag and answer If-None-Match with 304 (Django's
django.utils.cache does both), and send
`Cache-Control: public, max-age=0, s-maxage=N`: browsers revalidate every
time (cheap: a 304 from the cache), so a reader never sees an old page after
an edit, while a shared proxy may keep the page for N seconds (our nginx
micro-cache, deploy/nginx/injurysite.conf). The header X-Page-Cache says what
happened: hit, miss (rendered and stored), bypass (not cacheable) or off.

Fragments (parts of pages, kept under the same version, see versions.py)
are the app's other mechanism: Django's {% cache %} tag fed by
context_processors.fragments, and cached_fragment() for values built in views.
This package imports no other app of ours: what it needs to know of the
content (the next scheduled change) comes through settings.PAGE_CACHE_NEXT_CHANGE.
"""

from pagecache.http import PageCacheMiddleware, serve_cached_pages_first
from pagecache.versions import (
    PageContentModel,
    PageContentQuerySet,
    cached_fragment,
    content_changed,
    current_version,
)

__all__ = [
    "PageCacheMiddleware",
    "PageContentModel",
    "PageContentQuerySet",
    "cached_fragment",
    "content_changed",
    "current_version",
    "serve_cached_pages_first",
]
