"""The site-wide content version, the next scheduled change, and fragments
kept under that version. See the package docstring.

Fragments are Django's template fragment cache: templates use `{% cache %}`
with `fragment_timeout` and `content_version` from the context processor
(pagecache.context_processors.fragments), and Python values built in views
go through cached_fragment(), which keeps them under the same kind of key
(make_template_fragment_key of the name and the version). A new version
therefore makes every fragment anew, and none outlives the next scheduled
change, exactly like whole pages."""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("pagecache")

VERSION_KEY = "pagecache:version"
PATH_VERSION_KEY = "pagecache:path:{digest}"
NEXT_CHANGE_KEY = "pagecache:next-change:{version}"


def path_version_key(path):
    """The key of the version of the pages at `path` (every host, every query)."""
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return PATH_VERSION_KEY.format(digest=digest)


def content_changed(*, using=None, paths=None):
    """Make cached pages stale: call it after any change a reader could see.

    Without `paths`, every cached page and fragment is made stale (the site's
    content version changes). With `paths`, a list of page addresses such as
    ["/runners-knee/", "/knee-pain/"], only the pages at those paths are
    (each path has a version of its own, read with the page): for a change
    that shows on a few known pages and in no fragment but those kept under
    their paths' versions (cached_fragment(path=), the context's
    path_version): an approved comment (comments.models.pages_showing_comments_of
    lists its pages), or an article save that changes only its own page
    (articles.saving).

    Called by the save() and delete() of Article, Category, AffiliateLink and
    Comment (for comments only when one is, or was, approved), by their
    querysets' update(), delete(), bulk_create() and bulk_update()
    (PageContentQuerySet below), and by the flat page admin (articles.admin).
    Anything new that changes what a public page shows must call it too.
    Bulk loaders that bypass the ORM call it once at the end.

    The version changes at once, so the rest of this request (and the tests)
    see fresh pages; when called inside a transaction it changes again after
    the commit, because a page rendered by another request between the first
    change and the commit would hold the old rows under the new version.
    A cache that cannot be reached is logged, not raised: while it is down
    nothing is served from it either, and an editor's save must not fail.
    """
    if paths is None:
        change = _new_version
    else:
        keys = sorted({path_version_key(path) for path in paths})

        def change():
            _new_path_versions(keys)

    change()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(change, using=using)


class _Unstored:
    """A change this process could not store in the cache (it was down): the
    version is changed as soon as the cache answers again, or the pages cached
    before the outage would come back with it, stale."""

    change = False


def _new_version():
    version = uuid.uuid4().hex
    try:
        if hasattr(cache, "announce"):
            cache.announce(VERSION_KEY, version)  # Redis: stored and announced at once
        else:
            cache.set(VERSION_KEY, version, timeout=None)
    except Exception:
        if not _Unstored.change:
            logger.warning(
                "Page cache: could not store a new content version; trying again "
                "when the cache answers.",
                exc_info=True,
            )
        _Unstored.change = True
    else:
        _Unstored.change = False
    return version


def _new_path_versions(keys):
    try:
        for key in keys:
            version = uuid.uuid4().hex
            if hasattr(cache, "announce"):
                cache.announce(key, version)
            else:
                cache.set(key, version, timeout=None)
    except Exception:
        # The pages cached before the outage must not come back: the whole
        # site gets a new version as soon as the cache answers again.
        logger.warning("Page cache: could not store a page's new version.", exc_info=True)
        _Unstored.change = True


def announced_version():
    """The version as announced to this process (Redis pub/sub), or None when
    the cache cannot vouch for it without a read (local memory, not yet
    subscribed, connection lost)."""
    return _announced(VERSION_KEY)


def _fresh(entry, version):
    """True for an entry made at `version` that has not expired; anything else
    (nothing, or an entry in an older release's format) is a miss."""
    try:
        return entry[0] == version and entry[-1] > time.time()
    except (TypeError, IndexError, KeyError):
        return False


def read_current(key, path_key):
    """((content version, path version), entry or None): the entry stored
    under `key` if it was made at the current site-wide version and the
    current version of its path (path_version_key), and has not expired.

    Entries are tuples ((version, path version), ..., expiry time). With
    Redis and announced versions, this process's own copy answers without
    any read; otherwise one read brings the versions and the entry together.
    The version is None while the cache cannot be reached: nothing is found,
    and nothing may be stored.
    """
    if _Unstored.change:
        _new_version()
    site, path = announced_version(), _announced(path_key)
    copies = getattr(cache, "local_copies", None)
    if site is None or path is None:
        found = cache.get_many([VERSION_KEY, path_key, key])
        site = site or found.get(VERSION_KEY) or current_version()
        path = path or found.get(path_key) or _current(path_key)
        entry = found.get(key)
    else:
        entry = copies.get(key) if copies is not None else None
        if not _fresh(entry, (site, path)):
            entry = cache.get(key)
    if site is None or path is None:
        return None, None
    version = (site, path)
    if not _fresh(entry, version):
        return version, None
    if copies is not None:
        copies.remember(key, entry)
    return version, entry


def _announced(key):
    watch = getattr(cache, "watch", None)
    return watch(key).current() if watch is not None else None


def store(key, entry, lifetime):
    cache.set(key, entry, timeout=lifetime)
    copies = getattr(cache, "local_copies", None)
    if copies is not None:
        copies.remember(key, entry)


def current_version():
    """The site's content version, made on first use (or after the cache was emptied)."""
    return _current(VERSION_KEY)


def _current(key):
    version = cache.get(key)
    if version is None:
        # add() keeps the first of several racing processes' values.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def next_scheduled_change():
    """Unix time of the next moment public pages change by themselves, or None.

    The page cache knows no content of its own: settings.PAGE_CACHE_NEXT_CHANGE
    names the function that answers (today the next scheduled article's
    publish time, articles.publishing.next_scheduled_publish). It returns an
    aware datetime or None. Content that appears or disappears on a timer of
    its own must be added to that function.
    """
    moment = import_string(settings.PAGE_CACHE_NEXT_CHANGE)()
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


def version_now():
    """The current content version, or None while the cache cannot be reached."""
    if _Unstored.change:
        _new_version()
    return announced_version() or current_version()


def path_version(path):
    """The version of the pages at `path` (content_changed(paths=...) makes a
    new one): with the content version, the key of a fragment of that page alone."""
    key = path_version_key(path)
    return _announced(key) or _current(key)


def fragment_timeout(version, started):
    """Seconds a fragment made at `version`, from `started` on, may be kept: 0
    (not kept) when fragments are off or the cache cannot be reached."""
    if not settings.FRAGMENT_CACHE_ENABLED or version is None:
        return 0
    return max(0, _lifetime(version, started))


def cached_fragment(name, build, *, path=None):
    """The value `build()` returns, kept until content changes: for parts that
    are the same on every page (Recent Articles, the category navigation) or
    depend on saved content alone (an article's rendered body with its
    affiliate links). The Python side of `{% cache %}` (see the module
    docstring).

    With `path`, the value is also kept under the version of the pages at
    that path, so content_changed(paths=[path]) makes it again: for parts of
    one page that change with it alone (an article's comments, its body).

    It spares every rendered page (the page cache's misses, logged-in editors,
    and everything when PAGE_CACHE_ENABLED is off) those parts' queries and
    most of their template work. FRAGMENT_CACHE_ENABLED=false switches it off.
    """
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    started = time.time()
    try:
        # Read before build() reads the database, so a change made meanwhile
        # leaves this value under the old version.
        version = version_now()
        versions = [version]
        if path is not None:
            versions.append(path_version(path))
        if None in versions:
            return build()
        key = make_template_fragment_key(name, versions)
        value = cache.get(key)
    except Exception:
        logger.exception("Page cache: the cache cannot be read; building %s afresh.", name)
        return build()
    if value is not None:
        return value
    value = build()
    try:
        timeout = fragment_timeout(version, started)
        if timeout:
            cache.set(key, value, timeout=timeout)
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


class PageContentModel:
    """Mixed into a model whose rows public pages show, before models.Model:
    its save() and delete() call content_changed(), as its querysets' bulk
    writes do (PageContentQuerySet)."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        content_changed(using=self._state.db)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(using=self._state.db)
        return result
