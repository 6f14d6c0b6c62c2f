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

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Category
from articles.redirects import canonical_old_path
from articles.slugs import reserved_slugs
from core.markup import html_to_text
from moving.models import ImportedPage
from moving.report import Report
from moving.wordpress_comments import import_comments
from moving.wordpress_content import convert
from moving.wordpress_media import Media
from moving.wordpress_read import NotAnExport, read_export
from moving.wordpress_redirects import store_redirects
from pagecache import content_changed

__all__ = ["NotAnExport", "import_wordpress"]

SOURCE = ImportedPage.Source.WORDPRESS
TITLE_LENGTH = Article._meta.get_field("title").max_length
SLUG_LENGTH = Article._meta.get_field("slug").max_length
DESCRIPTION_LENGTH = Article._meta.get_field("meta_description").max_length
LOOKUP_BATCH = 2000
# Meta descriptions of the usual SEO plugins (Yoast, All in One SEO, Rank Math).
DESCRIPTION_KEYS = ("_yoast_wpseo_metadesc", "_aioseo_description", "rank_math_description")
PUBLIC = {"publish", "future"}
STATUS_OUTCOMES = {
    "publish": "published",
    "future": "published at its future date (scheduled)",
    "draft": "imported as a draft",
    "pending": "imported as a draft (it awaited review on WordPress)",
    "private": "imported as a draft (private on WordPress; this site has no private articles)",
    "auto-draft": "skipped (an empty draft WordPress made by itself)",
    "trash": "skipped (in WordPress's trash)",
}
PAGES_CATEGORY = ("pages", "Pages")
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
FALLBACK_CATEGORY = ("uncategorized", "Uncategorized")


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
    run.media = Media(folder=media, old_hosts=_old_hosts(run.channel), report=report)
    with transaction.atomic():
        _make_categories(run)
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
    _plan_categories(run, used_categories)
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
        for form in _category_forms(run, nicename):
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


def _records(keys):
    found = {}
    for start in range(0, len(keys), LOOKUP_BATCH):
        rows = ImportedPage.objects.filter(
            source=SOURCE, old_address__in=keys[start : start + LOOKUP_BATCH]
        ).select_related("article", "category")
        found.update((row.old_address, row) for row in rows)
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


def _plan_categories(run, used):
    """(slug, navigation position, record) for every category a kept item
    uses and every ancestor of those, parents before their children."""
    categories = run.channel.categories
    wanted, missing = [], set()

    def visit(nicename, trail):
        if nicename in trail:
            run.report.add("Category parents ignored", f"{nicename}: its parents make a loop")
            return
        category = categories.get(nicename)
        if category is None:
            missing.add(nicename)
            return
        if category.parent and category.parent not in wanted:
            if category.parent in categories:
                visit(category.parent, trail | {nicename})
            elif category.parent not in missing:
                missing.add(category.parent)
                run.report.add(
                    "Category parents ignored",
                    f"{nicename}: its parent {category.parent!r} is not in the export",
                )
        if nicename not in wanted:
            wanted.append(nicename)

    for nicename in sorted(used):
        visit(nicename, frozenset())
    for nicename in sorted(missing - set(categories)):
        if nicename in used:
            run.report.add(
                "Categories not in the export",
                f"{nicename}: its posts are filed under the next category they name, "
                "or Uncategorized",
            )
    # Depth first, so each child follows its parent in the navigation.
    children = {}
    for nicename in wanted:
        children.setdefault(categories[nicename].parent, []).append(nicename)
    ordered = []

    def walk(parent):
        for nicename in sorted(children.get(parent, []), key=lambda n: categories[n].name.lower()):
            if nicename not in ordered:
                ordered.append(nicename)
                walk(nicename)

    walk("")
    ordered += [nicename for nicename in wanted if nicename not in ordered]
    keys = {nicename: _category_key(categories[nicename]) for nicename in ordered}
    records = _records(list(keys.values()))
    base = Category.objects.order_by("-position").values_list("position", flat=True).first() or 0
    taken_by_articles = set(
        Article.objects.filter(slug__in=[slugify(unquote(n)) for n in ordered]).values_list(
            "slug", flat=True
        )
    )
    for position, nicename in enumerate(ordered, start=1):
        record = records.get(keys[nicename])
        if record is not None and record.category is not None:
            slug = record.category.slug
        else:
            slug = slugify(unquote(nicename)) or f"category-{categories[nicename].term_id}"
            if slug in taken_by_articles or slug in reserved_slugs():
                slug = f"{slug}-topics"
        run.category_plan[nicename] = (slug, base + position, record)
    unused = sorted(set(categories) - set(ordered))
    for nicename in unused:
        run.report.add("Categories skipped (no imported post uses them)", nicename)


def _category_key(category):
    if category.term_id.isdigit():
        return f"/?cat={int(category.term_id)}"
    return canonical_old_path(f"/category/{category.slug}/")


def _category_forms(run, nicename):
    categories = run.channel.categories
    path, current, seen = [], nicename, set()
    while current in categories and current not in seen:
        seen.add(current)
        path.insert(0, unquote(current))
        current = categories[current].parent
    forms = ["/category/" + "/".join(path) + "/", f"/category/{unquote(nicename)}/"]
    term_id = categories[nicename].term_id
    if term_id.isdigit():
        forms.append(f"/?cat={int(term_id)}")
    return forms


def _make_categories(run):
    categories = run.channel.categories
    report = run.report
    for nicename, (slug, position, record) in run.category_plan.items():
        wp = categories[nicename]
        if record is not None and record.category is not None:
            run.categories[nicename] = record.category
            report.count("Categories already imported")
        else:
            category = Category.objects.filter(slug=slug).first()
            if category is not None:
                report.add("Categories already on the site (used as they are)", category.title)
            else:
                intro = f"<p>{_escape(wp.description)}</p>" if wp.description else ""
                category = Category.objects.create(
                    title=(wp.name or nicename)[:TITLE_LENGTH],
                    slug=slug,
                    intro=intro,
                    position=position,
                )
                parent = f" (under {categories[wp.parent].name})" if wp.parent in categories else ""
                report.add("Categories created", f"{category.title} → /{slug}/{parent}")
            ImportedPage.objects.update_or_create(
                source=SOURCE,
                old_address=_category_key(wp),
                defaults={"category": category, "fingerprint": ""},
            )
            run.categories[nicename] = category
        for form in _category_forms(run, nicename):
            run.redirects.append((form, run.categories[nicename].get_absolute_url()))


def _fallback_category(run, kind):
    slug, title = PAGES_CATEGORY if kind == "page" else FALLBACK_CATEGORY
    if slug in run.categories:
        return run.categories[slug]
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        # After the imported categories in the navigation.
        last = Category.objects.order_by("-position").values_list("position", flat=True).first()
        category = Category.objects.create(title=title, slug=slug, position=(last or 0) + 1)
        run.report.add("Categories created", f"{title} → /{slug}/ (for {kind}s without one)")
    run.categories[slug] = category
    return category


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    published_at, guessed = _date(item)
    if published_at is None and item.status in PUBLIC:
        report.add(
            "Items skipped",
            f"{item.label}: its date {item.post_date_gmt or item.post_date or item.pub_date!r} "
            "is missing or not a date",
        )
        return
    if guessed:
        report.add("Dates guessed", f"{item.label}: {guessed}")
    article = _store_article(run, item, plan, published_at)
    if article is None:
        return
    for form in plan.forms:
        run.redirects.append((form, article.get_absolute_url()))
    import_comments(article=article, item=item, report=report)


def _store_article(run, item, plan, published_at):
    report = run.report
    record = None
    if plan.imported_before:
        record = (
            ImportedPage.objects.select_related("article")
            .filter(source=SOURCE, old_address=plan.key)
            .first()
        )
    article = record.article if record is not None else None
    status = Article.Status.PUBLISHED if item.status in PUBLIC else Article.Status.DRAFT
    if run.as_drafts:
        status = Article.Status.DRAFT
    run.statuses[(item.status, _status_outcome(item, run.as_drafts))] += 1
    if item.password:
        status = Article.Status.DRAFT
        report.add("Password-protected items imported as drafts", item.label)
    converted = convert(
        item.content, image=lambda src: _image(run, src), link=lambda href: _link(run, href)
    )
    if converted.shortcodes:
        report.add("Shortcodes dropped", f"{item.label}: {', '.join(converted.shortcodes)}")
    if converted.not_kept:
        report.add(
            "Markup the site does not keep (its text is kept)",
            f"{item.label}: {', '.join(converted.not_kept)}",
        )
    title = " ".join(item.title.split()) or f"Untitled {item.post_type} {item.post_id}"
    if len(title) > TITLE_LENGTH:
        report.add("Titles shortened", item.label)
        title = title[:TITLE_LENGTH].rstrip()
    values = {
        "title": title,
        "slug": plan.slug,
        "category": _category_for(run, item),
        "body": converted.html,
        "excerpt": html_to_text(item.excerpt),
        "status": status,
        "comments_enabled": item.comment_status != "closed",
        "meta_description": _description(item),
    }
    if published_at is not None:
        values["published_at"] = published_at
    elif article is None:
        values["published_at"] = timezone.now()

    if article is not None:
        if fingerprint(article) != record.fingerprint and not run.overwrite:
            report.add(
                "Edited in the admin since the import (left as they are; --overwrite replaces them)",
                f"{item.label} → {article.get_absolute_url()}",
            )
            return article
        was = fingerprint(article)
        for name, value in values.items():
            setattr(article, name, value)
        article.fill_derived_fields()
        if fingerprint(article) == was:
            report.count("Articles unchanged")
            _note_images(run, article, converted.html)
            _plan_featured(run, item, article)
            return article
        article.save()
        record.fingerprint = fingerprint(article)
        record.save(update_fields=["fingerprint", "imported_at"])
        report.add("Articles updated", f"{item.label} → {article.get_absolute_url()}")
    else:
        article = Article(**values)
        article.save()
        ImportedPage.objects.update_or_create(
            source=SOURCE,
            old_address=plan.key,
            defaults={"article": article, "fingerprint": fingerprint(article)},
        )
        kind = "Pages imported" if item.post_type == "page" else "Posts imported"
        state = "" if status == Article.Status.PUBLISHED else " (draft)"
        report.add(kind, f"{item.label} → {article.get_absolute_url()}{state}")
    _note_images(run, article, converted.html)
    _plan_featured(run, item, article)
    return article


def _status_outcome(item, as_drafts):
    if as_drafts and item.status in PUBLIC:
        return "imported as a draft (--as-drafts)"
    return STATUS_OUTCOMES[item.status]


def fingerprint(article):
    """A digest of the fields the import writes, as stored."""
    published = article.published_at.astimezone(UTC).isoformat() if article.published_at else ""
    fields = [
        article.title,
        article.slug,
        article.body,
        article.excerpt,
        article.status,
        published,
        article.category_id,
        article.comments_enabled,
        article.meta_description,
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


def _category_for(run, item):
    """The most specific of the item's categories (the deepest one)."""
    known = [run.categories[n] for n in item.categories if n in run.categories]
    if not known:
        return _fallback_category(run, item.post_type)
    if len(known) > 1:
        depth = {n: _depth(run, n) for n in item.categories if n in run.categories}
        deepest = max(depth, key=lambda n: depth[n])
        run.report.add(
            "Posts in several categories (filed under the most specific)",
            f"{item.label}: {run.categories[deepest].title}",
        )
        return run.categories[deepest]
    return known[0]


def _depth(run, nicename):
    categories, depth, seen = run.channel.categories, 0, set()
    while nicename in categories and categories[nicename].parent and nicename not in seen:
        seen.add(nicename)
        nicename = categories[nicename].parent
        depth += 1
    return depth


def _description(item):
    for key in DESCRIPTION_KEYS:
        value = " ".join(item.meta.get(key, "").split())
        if value:
            return value[:DESCRIPTION_LENGTH]
    return ""


def _date(item):
    """(aware datetime or None, what was guessed or "")."""
    parsed = _gmt(item.post_date_gmt)
    if parsed is not None:
        return parsed, ""
    try:
        parsed = parsedate_to_datetime(item.pub_date) if item.pub_date else None
    except (TypeError, ValueError):
        parsed = None
    if parsed is not None and parsed.tzinfo is not None and parsed.year > 1970:
        return parsed, ""
    local = _gmt(item.post_date)
    if local is not None:
        zone = ZoneInfo(settings.TIME_ZONE)
        return local.replace(tzinfo=zone), f"its time {item.post_date} taken in {zone}"
    return None, ""


def _gmt(value):
    if not value or value.startswith("0000"):
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------
# Addresses in the content: images, links, redirects.


def _old_hosts(channel):
    hosts = set()
    for address in (channel.site_url, channel.blog_url):
        host = (urlsplit(address).hostname or "").lower()
        if host:
            hosts |= {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
    return hosts


def _image(run, src):
    return run.media.new_address(src)


def _link(run, href):
    """An imported item's new address for a link to its old one, the image
    copy for a link to an upload, or None to keep the link as it is."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("", "http", "https") or (host and host not in run.media.old_hosts):
        return None
    if not host and not href.startswith("/"):
        return None
    if run.media.upload_path(href) is not None:
        return run.media.new_address(href)
    new = run.links.get(canonical_old_path(href))
    if new is None and host:
        run.report.add("Links to the old site left as they are", href)
    return new


def _note_images(run, article, body):
    if settings.MEDIA_URL + "wordpress/" in body:
        run.reworked.append(article.pk)


def _plan_featured(run, item, article):
    attachment = run.attachments.get(item.meta.get("_thumbnail_id", ""))
    if attachment is None or article.image:
        return
    address, alt = attachment
    new = run.media.new_address(address)
    if new:
        name = unquote(new[len(settings.MEDIA_URL) :])
        run.featured[article.pk] = (name, " ".join(alt.split())[:200] or article.title)


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
