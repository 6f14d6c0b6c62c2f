"""Old addresses keep working: after an editor changes a slug, and for the
addresses of a site moved in (rows the owner adds or imports from CSV).

Rows of django.contrib.redirects answer, through our fallback middleware,
only where the site itself would answer 404; an old slug that is taken again
by a new page therefore shows the new page.

Every row is stored under the canonical form of its old address
(canonical_old_path), and a request is looked up by the canonical form of its
path, so `/Old-Name.html`, `/old-name.htm`, `/old-name/index.html` and
`/OLD-NAME` all get the one 301 that `/old-name/` gets. Chains are flattened
when a row is written: no reader follows two 301s in a row, and no row leads
back to itself.
"""

import csv
import re
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.http import HttpResponseGone, HttpResponsePermanentRedirect
from django.urls import reverse

from pagecache import content_changed

# The length of Redirect.old_path and new_path.
MAX_PATH = 200
# Query parameters that name a page on the usual site builders (WordPress:
# `?p=12`, `?page_id=3`, `?cat=4`); every other one (tracking, sorting) is dropped.
PAGE_QUERY = frozenset({"p", "page_id", "cat", "id"})
# The most rows and bytes one CSV import takes: 5,000 rows take about 10 s
# to preview and as long to import on SQLite, within the app server's 30 s.
# 1 MB keeps the preview's signed copy of the file under Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) when it is posted back to confirm.
MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_BYTES = 1024 * 1024
# Addresses per look-up: far below SQLite's limit of 32,766 parameters a query.
LOOKUP_BATCH = 2000

# True while an import writes many rows: the cached pages are made stale
# once at its end, not once a row.
_importing = ContextVar("importing_redirects", default=False)

_INDEX_PAGE = re.compile(r"/index\.html?$")
_PAGE_SUFFIX = re.compile(r"\.html?$")


class RedirectRefused(ValueError):
    """A redirect that cannot be stored; the message says why, for the editor."""


class RedirectFileError(ValueError):
    """A redirects CSV that cannot be read at all; the message says why."""


def canonical_old_path(address):
    """The form an old address is stored and looked up under, or "" when it
    is not a path or an http(s) address.

    The host is dropped, the path percent-decoded and lower-cased, `index.html`
    / `index.htm` and a `.html` / `.htm` suffix dropped, a trailing slash added
    (not after a file name such as `feed.xml`), and only the query parameters
    that name a page kept: `https://Old.example/Knee/index.html?utm_source=x`
    → `/knee/`; `/Old-Name.HTM` → `/old-name/`; `/?p=12&ref=x` → `/?p=12`.
    """
    address = address.strip()
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return ""
    elif not address.startswith("/"):
        return ""
    path = unquote(parts.path).lower()
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return ""
    path = "/" + re.sub(r"/{2,}", "/", path).lstrip("/")
    path = _INDEX_PAGE.sub("/", path)
    path = _PAGE_SUFFIX.sub("", path)
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() in PAGE_QUERY)
    return path + ("?" + urlencode(query) if query else "")


def _lookup_forms(full_path):
    """The stored forms a requested path may be under, best first: its
    canonical form, that without the query (not for the home page), and
    the path exactly as asked (rows stored before they were canonical)."""
    canonical = canonical_old_path(full_path)
    bare = canonical.split("?", 1)[0]
    forms = [canonical, bare if bare != "/" else "", full_path]
    return [
        form
        for form in dict.fromkeys(forms)
        if form and len(form) <= MAX_PATH and "\x00" not in form
    ]


def find_redirect(full_path):
    """The row that answers `full_path` (a request's path and query), or None."""
    forms = _lookup_forms(full_path)
    if not forms:
        return None
    rows = {
        row.old_path: row
        for row in Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=forms)
    }
    return next((rows[form] for form in forms if form in rows), None)


def redirect_targets(addresses):
    """{canonical old address: new address} for the `addresses` (any form)
    that have a redirect row, looked up in batches of LOOKUP_BATCH."""
    canonical = sorted({form for form in map(canonical_old_path, addresses) if form})
    found = {}
    for start in range(0, len(canonical), LOOKUP_BATCH):
        rows = Redirect.objects.filter(
            site_id=settings.SITE_ID, old_path__in=canonical[start : start + LOOKUP_BATCH]
        )
        found.update(rows.values_list("old_path", "new_path"))
    return found


def names_a_page(query_names):
    """True when a request's query parameters (names) hold one that names a
    page on the old site (`p`, `page_id`…): its address may be a redirect
    row of its own, to be answered before the page at its path."""
    return any(name.lower() in PAGE_QUERY for name in query_names)


def find_query_redirect(full_path):
    """The row stored for `full_path` with its page-naming query (`/?p=12`),
    or None. The path alone is not tried: `/?p=12` names a post, not the
    home page."""
    canonical = canonical_old_path(full_path)
    if "?" not in canonical or len(canonical) > MAX_PATH:
        return None
    return Redirect.objects.filter(site_id=settings.SITE_ID, old_path=canonical).first()


def redirect_response(full_path, *, query_only=False):
    """The 301 (or 410 for a row with no target) for `full_path`, or None.
    With `query_only`, only a row for the path with its query answers."""
    row = find_query_redirect(full_path) if query_only else find_redirect(full_path)
    if row is None:
        return None
    if not row.new_path:
        return HttpResponseGone()
    return HttpResponsePermanentRedirect(row.new_path)


def _target(new):
    """`new` as stored: a path on this site, or an absolute http(s) address
    (one on SITE_URL's host becomes its path)."""
    new = new.strip()
    if not new:
        raise RedirectRefused("no new address")
    try:
        parts = urlsplit(new)
    except ValueError:
        raise RedirectRefused(f"the new address {new!r} is not an address") from None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RedirectRefused(f"the new address {new!r} is not an http(s) address")
        own_host = urlsplit(settings.SITE_URL).netloc.lower()
        if own_host and parts.netloc.lower() == own_host:
            new = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    elif not new.startswith("/"):
        raise RedirectRefused(f"the new address {new!r} is not a path (it must start with /)")
    if any(ord(char) < 32 or char.isspace() for char in new):
        raise RedirectRefused(f"the new address {new!r} has spaces or control characters")
    if len(new) > MAX_PATH:
        raise RedirectRefused(f"the new address is longer than {MAX_PATH} characters")
    return new


def plan_redirect(old, new):
    """(canonical old path, flattened new address) for a redirect old → new,
    or RedirectRefused saying why not. A new address that is itself
    redirected is followed, so the row is one hop; one that leads back to
    the old address is a loop."""
    old_path = canonical_old_path(old)
    if not old.strip():
        raise RedirectRefused("no old address")
    if not old_path:
        raise RedirectRefused(f"the old address {old.strip()!r} is not a path or http(s) address")
    if len(old_path) > MAX_PATH:
        raise RedirectRefused(f"the old address is longer than {MAX_PATH} characters")
    new_path = _target(new)
    if new_path.startswith("/"):
        if canonical_old_path(new_path) == old_path:
            raise RedirectRefused(f"{old_path} would redirect to itself")
        onward = find_redirect(new_path)
        if onward is not None and onward.old_path != old_path:
            if onward.new_path and canonical_old_path(onward.new_path) == old_path:
                raise RedirectRefused(
                    f"a loop: {new_path} already redirects to {onward.new_path}, back to {old_path}"
                )
            new_path = onward.new_path or new_path
    return old_path, new_path


def repoint_redirects_to(old_path, new_path):
    """Rows that led to `old_path` lead to `new_path` instead: one hop, not two."""
    segment = old_path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    rows = Redirect.objects.filter(site_id=settings.SITE_ID, new_path__icontains=segment)
    stale = [
        row.pk
        for row in rows.exclude(old_path=old_path).only("pk", "new_path")
        if row.new_path.startswith("/") and canonical_old_path(row.new_path) == old_path
    ]
    if stale:
        Redirect.objects.filter(pk__in=stale).update(new_path=new_path)
        if not _importing.get():
            content_changed()
    return len(stale)


def save_redirect(old, new):
    """Store old → new, flattened; "created", "updated" or "unchanged"
    (RedirectRefused when it cannot be stored)."""
    old_path, new_path = plan_redirect(old, new)
    with transaction.atomic():
        row = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path).first()
        if row is not None and row.new_path == new_path:
            outcome = "unchanged"
        elif row is not None:
            row.new_path = new_path
            row.save(update_fields=["new_path"])
            outcome = "updated"
        else:
            Redirect.objects.create(site_id=settings.SITE_ID, old_path=old_path, new_path=new_path)
            outcome = "created"
        repoint_redirects_to(old_path, new_path)
    return outcome


def follow_slug_change(*, article, old_slug):
    """Send /old_slug/ (and every address already sent there) to the article.

    Called after a published article is saved under a new slug. Chains are
    flattened, so no reader follows two 301s in a row, and a redirect away
    from the article's new address, left by an earlier rename, is removed.
    """
    old_path = reverse("articles:page", kwargs={"slug": old_slug})
    new_path = article.get_absolute_url()
    Redirect.objects.filter(
        site_id=settings.SITE_ID, old_path=canonical_old_path(new_path)
    ).delete()
    if canonical_old_path(old_path) != canonical_old_path(new_path):  # not only its case
        save_redirect(old_path, new_path)


def redirects_changed(**kwargs):
    """A row added, changed or removed: cached 301s (the page cache keeps
    them) must not outlive it. Connected to Redirect's post_save and
    post_delete in apps.py."""
    if not _importing.get():
        content_changed(using=kwargs.get("using"))


@dataclass
class ImportRow:
    line: int
    old: str
    new: str
    outcome: str = ""  # created, updated, unchanged or refused
    reason: str = ""


def read_redirects_csv(data):
    """The rows of a redirects CSV (bytes): old address, new address; a
    header row is skipped. RedirectFileError when it cannot be read."""
    if len(data) > MAX_IMPORT_BYTES:
        raise RedirectFileError(
            f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RedirectFileError("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    if "\x00" in text:
        raise RedirectFileError("The file is not a CSV text file.")
    rows = []
    try:
        for number, cells in enumerate(csv.reader(text.splitlines()), start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise RedirectFileError(
                    f"The file has more than {MAX_IMPORT_ROWS:,} rows; split it into smaller files."
                )
            if not rows and number == 1 and not canonical_old_path(cells[0]):
                continue  # a header row
            cells = [*cells, "", ""]
            rows.append(ImportRow(line=number, old=cells[0].strip(), new=cells[1].strip()))
    except csv.Error as error:
        raise RedirectFileError(f"The file is not a readable CSV: {error}.") from None
    if not rows:
        raise RedirectFileError("The file has no rows of two columns: old address, new address.")
    return rows


def import_redirects(rows, *, dry_run=False):
    """Store every row (one transaction), filling in each one's outcome and
    reason; a dry run computes the same outcomes and writes nothing."""
    token = _importing.set(True)
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        row.outcome = save_redirect(row.old, row.new)
                except RedirectRefused as refused:
                    row.outcome, row.reason = "refused", str(refused)
            if dry_run:
                transaction.set_rollback(True)
            elif any(row.outcome in ("created", "updated") for row in rows):
                content_changed()
    finally:
        _importing.reset(token)
    return rows


def import_summary(rows, *, dry_run=False):
    """“3 redirects created, 1 updated, 0 unchanged, 2 refused.”"""
    counts = {name: 0 for name in ("created", "updated", "unchanged", "refused")}
    for row in rows:
        counts[row.outcome] += 1
    verb = "would be" if dry_run else ""
    return (
        f"{counts['created']} redirects {verb + ' ' if verb else ''}created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['refused']} refused."
    )
