"""Old page addresses, and the articles they became.

Comments imported from another system name their page by its old address;
an article is found from it through the owner's URL map (old address →
slug), else through the address's last segment or the thread's identifier
taken as a slug.
"""

import csv
import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.utils.text import slugify

from articles.models import Article
from articles.redirects import canonical_old_path, redirect_targets

# Slugs per look-up: far below SQLite's limit of 32,766 parameters a query.
LOOKUP_BATCH = 2000
# Query parameters that say where a reader came from, not which page it is.
_TRACKING = re.compile(r"^(utm.*|fbclid|gclid|mc_[ce]id|ref|source|replytocom|amp)$", re.I)
_INDEX_PAGE = re.compile(r"/index\.(s?html?|php|aspx?)$")
_PAGE_SUFFIX = re.compile(r"\.(s?html?|php|aspx?)$")


def read_url_map(lines):
    """{normalised old address: article slug} from CSV rows `old URL,slug`.

    Rows whose first cell is not a URL or path (a header, a note) are ignored.
    """
    url_map = {}
    for row in csv.reader(lines):
        if len(row) < 2 or "/" not in row[0]:
            continue
        old, slug = row[0].strip(), row[1].strip().strip("/")
        if not re.fullmatch(r"[\w-]+", slug):
            continue
        url_map[normalise_address(old)] = slug
    return url_map


def normalise_address(url):
    """An old page address the way the URL map keys it: the path, decoded,
    lower-cased, without its host, trailing slash or `index.html`, then the
    query parameters that name a page (`?p=123`, not `?utm_source=…`).

    https://Old.example/Knee/index.html → /knee; https://old.example/?p=12 → /?p=12
    """
    parts = urlsplit(url.strip())
    path = unquote(parts.path).lower()
    path = "/" + _INDEX_PAGE.sub("", path).strip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)]
    return path + ("?" + urlencode(sorted(query)) if query else "")


def slug_candidates(url):
    """Slugs a page address may have become: its last path segment without
    `.html`, `.htm` or `.php`, as it is and slugified (percent-encoded
    characters decoded): /injuries/Runners%20Knee.html → "runners knee", "runners-knee"."""
    path = normalise_address(url).split("?")[0]
    last = _PAGE_SUFFIX.sub("", path.rsplit("/", 1)[-1])
    return [slug for slug in dict.fromkeys([last, slugify(last)]) if slug]


def _addresses(thread):
    """The thread's URL, and the one in its identifier: Disqus's WordPress
    plugin names a thread "12 https://old.example/?p=12"."""
    addresses = [thread.url]
    for word in thread.identifier.split():
        if word.startswith(("http://", "https://")):
            addresses.append(word)
    return addresses


def _page_first(url):
    """True when the site's own page at `url` answers before any redirect
    row, as the match must too: `/old-name/` shows the article old-name when
    there is one (rows answer only where the site says 404), while
    `/old-name.html` and deeper paths follow a row first."""
    path = urlsplit(url.strip()).path.strip("/")
    return bool(path) and "/" not in path and not _PAGE_SUFFIX.search(path)


def _redirected_slug(new_path):
    match = re.fullmatch(r"/([\w-]+)/", new_path or "")
    return match[1] if match else None


def match_articles(threads, url_map):
    """{thread id: article pk} for the threads ({id: object with .url,
    .identifier and .is_deleted}) that match an article, the
    others left out. The URL map wins (path and query, then the path alone
    unless it is the site's root), then a redirect row for the address
    (an import's old permalinks, `/?p=12` included) and the address's last
    segment as a slug (in the order the site itself answers the address,
    _page_first), then the thread's own identifier."""
    live = [thread for thread in threads.values() if not thread.is_deleted]
    redirected = redirect_targets([address for thread in live for address in _addresses(thread)])
    wanted = {}
    for thread_id, thread in threads.items():
        if thread.is_deleted:
            continue
        address = normalise_address(thread.url)
        path = address.split("?")[0]
        candidates = [url_map.get(address), url_map.get(path) if path != "/" else None]
        by_redirect = [
            _redirected_slug(redirected.get(canonical_old_path(old))) for old in _addresses(thread)
        ]
        by_slug = slug_candidates(thread.url) if path != "/" else []
        candidates += by_slug + by_redirect if _page_first(thread.url) else by_redirect + by_slug
        identifier = thread.identifier.strip().strip("/")
        if identifier:
            candidates += [identifier, *slug_candidates("/" + identifier)]
        wanted[thread_id] = [slug for slug in candidates if slug]
    slugs = sorted({slug for candidates in wanted.values() for slug in candidates})
    found = {}
    for start in range(0, len(slugs), LOOKUP_BATCH):
        chosen = Article.objects.filter(slug__in=slugs[start : start + LOOKUP_BATCH])
        found.update(chosen.values_list("slug", "pk"))
    return {
        thread_id: next(found[slug] for slug in candidates if slug in found)
        for thread_id, candidates in wanted.items()
        if any(slug in found for slug in candidates)
    }
