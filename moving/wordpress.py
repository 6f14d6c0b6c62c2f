"""Importing a WordPress export (WXR 1.0 to 1.2): posts and pages as
articles, categories as hubs, comments with their threads, redirects from
every old permalink, and the images from a copy of wp-content/uploads.

The file is read twice as a stream (moving.wordpress_read): first to learn
its categories, attachments and the address every item will have, so that
links between posts can be pointed at their new addresses whatever their
order; then to import, item by item, in one transaction. A file that turns
out not to be an export, or malformed, half-way leaves nothing behind; one
bad item or comment is reported and skipped or repaired.

What each WordPress status becomes: `publish` is published (a draft with
--as-drafts), `future` is published at its date, so scheduled; `draft` and
`pending` are drafts; `private` and password-protected items are drafts
(this site has neither), `auto-draft` and `trash` are skipped, and so are
attachments (kept only as the images posts show), menus, revisions and the
other types WordPress keeps for itself. Pages become articles in a "Pages"
category. Categories are flat here: a sub-category becomes a hub of its
own, placed right after its parent in the navigation.

Idempotent: each article is known again by its post id (an ImportedPage
row, `/?p=<id>`), each comment by its comment id (`wp-<id>` in the comment's
import key, which Disqus ids, all digits, never take), so a second run
changes nothing. An article edited in the admin since it was imported (its
fields no longer match what the import wrote) is left alone unless
`overwrite`, and the report names it.
"""

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from articles.models import Article, Category
from articles.redirects import canonical_old_path
from articles.slugs import reserved_slugs
from moving.models import ImportedPage
from moving.report import Report
from moving.wordpress_articles import PUBLIC, STATUS_OUTCOMES, item_date, old_hosts, store_article
from moving.wordpress_categories import (
    FALLBACK_CATEGORY,
    PAGES_CATEGORY,
    SOURCE,
    category_forms,
    make_categories,
    plan_categories,
)
from moving.wordpress_comments import import_comments
from moving.wordpress_media import Media
from moving.wordpress_read import NotAnExport, read_export
from moving.wordpress_redirects import store_redirects
from pagecache import content_changed

__all__ = ["NotAnExport", "import_wordpress"]

SLUG_LENGTH = Article._meta.get_field("slug").max_length
LOOKUP_BATCH = 2000
# The report's first lines, always shown (0 included), in this order.
FIRST_COUNTS = [
    "Items in the export",
    "Posts imported",
    "Pages imported",
    "Articles updated",
    "Articles unchanged",
    "Edited in the admin since the import (left as they are; --overwrite replaces them)",
    "Items skipped",
    "Categories created",
    "Comments imported (approved)",
    "Comments imported (pending)",
    "Comments already imported",
    "Comments that could not be imported",
    "Redirects created",
    "Redirects already there",
]


@dataclass
class Plan:
    """What the import will do with one post or page, decided in the first pass."""

    key: str  # the ImportedPage old_address: /?p=<id>
    kind: str  # post or page
    wp_status: str
    slug: str
    imported_before: bool = False  # an earlier run made its article
    forms: list = field(default_factory=list)  # old addresses that redirect to it

    @property
    def new_path(self):
        return f"/{self.slug}/"


@dataclass
class _Run:
    source: Path
    report: Report
    as_drafts: bool
    overwrite: bool
    media: Media
    channel: object = None
    plans: dict = field(default_factory=dict)  # post id or link → Plan
    attachments: dict = field(default_factory=dict)  # attachment id → (address, alt)
    categories: dict = field(default_factory=dict)  # nicename → our Category (pass 2)
    category_plan: dict = field(default_factory=dict)  # nicename → (slug, position, record)
    links: dict = field(default_factory=dict)  # canonical old address → new path
    redirects: list = field(default_factory=list)  # (old, new)
    statuses: Counter = field(default_factory=Counter)
    done: set = field(default_factory=set)  # keys of the items taken so far
    reworked: list = field(default_factory=list)  # pks of articles showing copied images
    featured: dict = field(default_factory=dict)  # article pk → (media name, alt)


def import_wordpress(*, source, dry_run=False, as_drafts=False, overwrite=False, media=None):
    """Import the WXR file at `source`; returns the Report. Raises
    NotAnExport (one line) for a file that is not a WordPress export."""
    source = Path(source)
    report = Report(f"Importing the WordPress export {source.name}", dry_run=dry_run)
    for name in FIRST_COUNTS:
        report.count(name, 0)
    run = _Run(source, report, as_drafts, overwrite, media=None)
    _first_pass(run)
    run.media = Media(folder=media, old_hosts=old_hosts(run.channel), report=report)
    with transaction.atomic():
        make_categories(run)
        for item in _items(run):
            try:
                with transaction.atomic():
                    _take(run, item)
            except (DatabaseError, ValidationError, ValueError) as error:
                # One item the database or a model refuses is reported, not
                # the end of the import.
                report.add("Items skipped", f"{item.label}: it could not be stored ({error})")
        _store_redirects(run)
        _status_notes(run)
        if dry_run:
            transaction.set_rollback(True)
        else:
            content_changed()
            transaction.on_commit(lambda: _after_commit(run))
    return report


def _items(run):
    stream = read_export(run.source)
    next(stream)  # the channel, read in the first pass
    yield from stream


# ---------------------------------------------------------------------------
# First pass: categories, attachments, and every item's new address.


def _first_pass(run):
    stream = read_export(run.source)
    run.channel = next(stream)
    wanted = []  # (the item without its content, its key)
    used_categories = set()
    for item in stream:
        run.report.count("Items in the export")
        if item.post_type == "attachment":
            alt = item.meta.get("_wp_attachment_image_alt", "") or item.title
            run.attachments[item.post_id] = (item.attachment_url, alt)
            continue
        if _skip_reason(item) is not None:
            continue
        key = _key(item)
        if key is None:
            continue
        used_categories.update(item.categories)
        # Only what planning needs: the content and comments are read again later.
        wanted.append((replace(item, content="", excerpt="", comments=[], meta={}), key))
    earlier = _earlier_slugs([key for _, key in wanted])
    plan_categories(run, used_categories)
    taken = _taken_slugs([_desired_slug(item) for item, _ in wanted])
    taken |= {slug for slug, _, _ in run.category_plan.values()}
    taken |= {PAGES_CATEGORY[0], FALLBACK_CATEGORY[0]}
    for item, key in wanted:
        if key in run.plans:
            continue  # listed twice: reported when it is met again
        slug = earlier.get(key)
        if slug is None:
            slug = _free_slug(_desired_slug(item), taken)
            if slug != _desired_slug(item):
                run.report.add(
                    "Slugs changed (the address was taken)",
                    f"{item.label}: /{_desired_slug(item)}/ → /{slug}/",
                )
        taken.add(slug)
        plan = Plan(key, item.post_type, item.status, slug, imported_before=key in earlier)
        plan.forms = _old_forms(item, plan)
        run.plans[key] = plan
        for form in plan.forms + [key]:
            run.links.setdefault(canonical_old_path(form), plan.new_path)
    for nicename, (slug, _, _) in run.category_plan.items():
        for form in category_forms(run, nicename):
            run.links.setdefault(canonical_old_path(form), f"/{slug}/")


def _skip_reason(item):
    if item.post_type not in ("post", "page"):
        return f"a {item.post_type or 'item without a type'}: WordPress's own, not content"
    if item.status in ("trash", "auto-draft"):
        return STATUS_OUTCOMES[item.status]
    if item.status not in STATUS_OUTCOMES:
        return f"its status {item.status!r} is not one WordPress exports for content"
    return None


def _key(item):
    """The old address an item is known by from one run to the next."""
    if item.post_id.isdigit():
        return f"/?p={int(item.post_id)}"
    path = canonical_old_path(item.link)
    return path if path and path != "/" else None


def _earlier_slugs(keys):
    """{key: slug of the article an earlier run made} for `keys`."""
    found = {}
    for start in range(0, len(keys), LOOKUP_BATCH):
        rows = ImportedPage.objects.filter(
            source=SOURCE,
            old_address__in=keys[start : start + LOOKUP_BATCH],
            article__isnull=False,
        )
        found.update(rows.values_list("old_address", "article__slug"))
    return found


def _desired_slug(item):
    slug = slugify(unquote(item.post_name)) or slugify(item.title)
    return (slug or f"post-{item.post_id or item.number}")[:SLUG_LENGTH].strip("-")


def _taken_slugs(slugs):
    """The slugs among `slugs` already used on the site, and the reserved ones."""
    taken = set(reserved_slugs())
    prefixes = sorted(set(slugs))
    for start in range(0, len(prefixes), LOOKUP_BATCH):
        chunk = prefixes[start : start + LOOKUP_BATCH]
        for model in (Article, Category):
            taken.update(model.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    return taken


def _free_slug(slug, taken):
    """`slug`, or the first of slug-2, slug-3… that nothing on the site or
    in this import uses."""
    candidate, number = slug, 1
    while (
        candidate in taken
        or Article.objects.filter(slug=candidate).exists()
        or Category.objects.filter(slug=candidate).exists()
    ):
        number += 1
        candidate = f"{slug[: SLUG_LENGTH - len(str(number)) - 1]}-{number}"
    return candidate


def _old_forms(item, plan):
    """Every address the item had on WordPress, when it was public there."""
    if item.status not in PUBLIC:
        return []
    forms = []
    if item.post_id.isdigit():
        forms.append(f"/?p={int(item.post_id)}")
        if item.post_type == "page":
            forms.append(f"/?page_id={int(item.post_id)}")
    wp_slug = unquote(item.post_name).strip("/")
    date = re.match(r"(\d{4})-(\d{2})-(\d{2})", item.post_date)
    if wp_slug and item.post_type == "post" and date:
        year, month, day = date.groups()
        forms += [f"/{year}/{month}/{wp_slug}/", f"/{year}/{month}/{day}/{wp_slug}/"]
    if wp_slug:
        forms.append(f"/{wp_slug}/")
    if item.link:
        forms.append(item.link)
    return forms


# ---------------------------------------------------------------------------
# Categories.


# ---------------------------------------------------------------------------
# Second pass: the items.


def _take(run, item):
    report = run.report
    if item.post_type == "attachment":
        report.count("Attachments (kept only as the images posts show)")
        return
    reason = _skip_reason(item)
    if reason is not None:
        if item.post_type in ("post", "page"):
            run.statuses[(item.status or "(none)", reason)] += 1
        report.add("Items skipped", f"{item.label}: {reason}")
        return
    key = _key(item)
    plan = run.plans.get(key) if key else None
    if plan is None:
        report.add("Items skipped", f"{item.label}: no post id and no address to know it by")
        return
    if key in run.done:
        report.add("Items skipped", f"{item.label}: listed twice in the export ({key})")
        return
    run.done.add(key)
    published_at, guessed = item_date(item)
    if published_at is None and item.status in PUBLIC:
        report.add(
            "Items skipped",
            f"{item.label}: its date {item.post_date_gmt or item.post_date or item.pub_date!r} "
            "is missing or not a date",
        )
        return
    if guessed:
        report.add("Dates guessed", f"{item.label}: {guessed}")
    article = store_article(run, item, plan, published_at)
    if article is None:
        return
    for form in plan.forms:
        run.redirects.append((form, article.get_absolute_url()))
    import_comments(article=article, item=item, report=report)


# ---------------------------------------------------------------------------
# Addresses in the content: images, links, redirects.


def _store_redirects(run):
    store_redirects(run.redirects, report=run.report)


def _status_notes(run):
    for (status, outcome), number in sorted(run.statuses.items()):
        run.report.note("What each WordPress status became", f"{status} ({number}): {outcome}")


# ---------------------------------------------------------------------------
# After the commit: the image files, and what they change on pages.


def _after_commit(run):
    written = run.media.write()
    if not run.media.plan:
        return
    for article in Article.objects.filter(pk__in=set(run.reworked)):
        article.fill_derived_fields()
        Article.objects.filter(pk=article.pk).update(
            body_html=article.body_html,
            links=article.links,
            intro_end=article.intro_end,
            banner_at=article.banner_at,
        )
    for pk, (name, alt) in run.featured.items():
        if not (Path(settings.MEDIA_ROOT) / name).is_file():
            continue  # not copied: reported with the images
        article = Article.objects.filter(pk=pk).first()
        if article is not None and not article.image:
            article.image.name = name
            article.image_alt = alt
            article.save()
            run.report.count("Featured images set")
    if written:
        content_changed()
