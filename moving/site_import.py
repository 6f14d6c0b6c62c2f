"""Moving the old hosted site's pages in: `manage.py import_pages`.

Two passes over the mirror. The first reads every page's head, its
"Return to …" link, the navigation and the Recent Articles widget, and the
RSS file, and decides what each page becomes: the home page the site's
introduction (a flat page at "/" the home page shows), a hub (a page other
pages return to, or a nav-header group) a Category, every other page an
Article under its hub. The second reads each page's content again
(moving.old_page, moving.old_body), copies its images, registers its
affiliate links and writes it.

Writing happens in one transaction. Image files have to exist before the
articles using them are saved (their resized copies are made on save), so
every file the run writes is recorded and removed again if the transaction
fails. A dry run goes through the same steps and writes nothing at all, not
even an image, so its report is what the real run will do.

Each page written is recorded in moving.ImportedPage with a fingerprint of
the fields the import wrote; a later run leaves a page alone when nothing
changed, and when an editor has changed it since (the fingerprint no longer
matches) unless told to overwrite.
"""

import contextlib
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

from defusedxml import ElementTree
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify

from affiliates.hosts import host_of, is_affiliate_host, validate_affiliate_destination
from affiliates.models import AffiliateLink
from articles.headings import assign_heading_ids
from articles.models import Article, Category, Rendition
from articles.redirects import RedirectRefused, canonical_old_path, plan_redirect, save_redirect
from articles.sanitize import sanitize_html
from articles.slugs import reserved_slugs
from articles.text import cut_at_word
from core.images import clean_image
from core.markup import html_to_text
from moving.mirror import MAX_PAGE_BYTES
from moving.models import ImportedPage
from moving.old_body import clean_body
from moving.old_page import decode, read_page
from pagecache import content_changed

SOURCE = ImportedPage.Source.SITE_BUILDER
MEDIA_FOLDER = "imported"
PAGE_SPEED = re.compile(
    r"^(?P<original>.+?\.(?:jpe?g|png|gif|webp))\.pagespeed\.(?:ic|ce)\.[\w-]+\.\w+$", re.I
)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
FALLBACK_CATEGORY = ("Other pages", "other-pages")
DERIVED_FIELDS = ("body_html", "body_text", "summary", "links", "headings", "search_document")

# Every line of the report, in this order, present even when zero.
PAGES_FOUND = "Pages found"
CATEGORIES_CREATED = "Categories created"
CATEGORIES_UPDATED = "Categories updated"
CATEGORIES_UNCHANGED = "Categories unchanged"
ARTICLES_CREATED = "Articles created"
ARTICLES_UPDATED = "Articles updated"
ARTICLES_UNCHANGED = "Articles unchanged"
KEPT_EDITED = "Kept as edited in the admin (--overwrite replaces them)"
SKIPPED = "Pages skipped"
HOME = "Home page introduction"
IMAGES_COPIED = "Images copied"
IMAGES_THERE = "Images already copied"
IMAGES_MISSING = "Images missing"
IMAGES_REFUSED = "Images refused"
ALT_TO_WRITE = "Images to describe (alt text missing or a file name)"
LINKS_REWRITTEN = "Links rewritten"
LINKS_BROKEN = "Links broken"
AFFILIATE_REGISTERED = "Affiliate links registered"
AFFILIATE_KNOWN = "Affiliate links already registered"
AFFILIATE_REFUSED = "Affiliate links refused"
REDIRECTS_CREATED = "Redirects created"
REDIRECTS_UPDATED = "Redirects updated"
REDIRECTS_UNCHANGED = "Redirects unchanged"
REDIRECTS_REFUSED = "Redirects refused"
DATES_GUESSED = "Dates guessed"
WARNINGS = "Warnings"
REPORT_LINES = [
    PAGES_FOUND, CATEGORIES_CREATED, CATEGORIES_UPDATED, CATEGORIES_UNCHANGED,
    ARTICLES_CREATED, ARTICLES_UPDATED, ARTICLES_UNCHANGED, KEPT_EDITED, SKIPPED, HOME,
    IMAGES_COPIED, IMAGES_THERE, IMAGES_MISSING, IMAGES_REFUSED, ALT_TO_WRITE,
    LINKS_REWRITTEN, LINKS_BROKEN, AFFILIATE_REGISTERED, AFFILIATE_KNOWN, AFFILIATE_REFUSED,
    REDIRECTS_CREATED, REDIRECTS_UPDATED, REDIRECTS_UNCHANGED, REDIRECTS_REFUSED,
    DATES_GUESSED, WARNINGS,
]  # fmt: skip


class ImportRefused(Exception):
    """SOURCE cannot be imported; the message says why, in one line."""


@dataclass
class Options:
    dry_run: bool = False
    site_url: str = ""
    publish: bool = True
    overwrite: bool = False


@dataclass
class Planned:
    """What one old page becomes."""

    path: str
    address: str
    key: str
    title: str
    kind: str = "article"  # "home", "hub" or "article"
    slug: str = ""
    description: str = ""
    og_image: str = ""
    return_key: str = ""
    category_key: str = ""
    nav_position: int = 10_000


@dataclass
class CategoryPlan:
    key: str
    title: str
    slug: str
    position: int
    page: Planned | None = None
    category: Category | None = None


@dataclass
class Target:
    """The page whose body is being cleaned: its links and banner go here."""

    planned: Planned
    banner: str = ""
    images: list = field(default_factory=list)
    alts: list = field(default_factory=list)


def fingerprint(values):
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def stored_html(markup):
    """The body as Article.save and Category.save store it: sanitised, with heading ids."""
    return assign_heading_ids(sanitize_html(markup))


def article_values(article):
    return {
        "title": article.title,
        "slug": article.slug,
        "category": article.category.slug,
        "body": article.body,
        "excerpt": article.excerpt,
        "meta_description": article.meta_description,
        "status": article.status,
        "published_at": article.published_at.astimezone(UTC).isoformat(),
        "image": article.image.name or "",
        "image_alt": article.image_alt,
        "banner": article.banner_after_intro.slug if article.banner_after_intro_id else "",
    }


def category_values(category):
    return {
        "title": category.title,
        "slug": category.slug,
        "intro": category.intro,
        "meta_description": category.meta_description,
    }


def home_values(page):
    return {"title": page.title, "content": page.content}


def _same_host(a, b):
    return a.lower().removeprefix("www.") == b.lower().removeprefix("www.")


def _looks_like_file_name(alt, path):
    name = PurePosixPath(path).name.lower()
    stem = name.rsplit(".", 1)[0]
    alt = alt.lower().strip()
    plain = re.sub(r"[-_\s]+", " ", stem).strip()
    return alt in (name, stem, plain) or bool(
        re.fullmatch(r"(img|dsc|image)[-_ ]?\d+(\.\w+)?", alt)
    )


class SiteImport:
    def __init__(self, mirror, *, options, report, progress=None):
        self.mirror = mirror
        self.options = options
        self.report = report
        self.progress = progress
        for name in REPORT_LINES:
            report.count(name, 0)
        self.pages = {}  # key -> Planned
        self.categories = {}  # key -> CategoryPlan
        self.feed_items = {}  # key -> (published, excerpt)
        self.recent = {}  # key -> (published, excerpt)
        self.feeds = set()
        self.shared_seen = {}
        self.furniture = set()
        self.nav = []
        self.host = urlsplit(options.site_url).netloc if options.site_url else ""
        self.copied = {}  # mirror path -> media name (or None when refused)
        self.planned_names = {}  # media name -> digest, for this run
        self.written = []  # media files this run wrote
        self.written_set = set()
        self.old_image_addresses = {}  # an image's old address -> its media name
        self.links = {}  # (kind, destination, image) -> slug
        self.planned_slugs = set()
        self.records = {}
        self.target = None
        self.changed = False
        self.started = timezone.now()

    # -- the first pass --------------------------------------------------

    def run(self):
        paths = sorted(self.mirror.pages)
        self.report.count(PAGES_FOUND, len(paths))
        read, nav_kept = [], False
        for path in paths:
            page = self._read(path)
            # Every page repeats the navigation: the first one found is kept.
            if nav_kept:
                page.nav = []
            nav_kept = nav_kept or bool(page.nav)
            read.append((path, page))
        self._find_host(read)
        self._read_feeds()
        self._plan(read)
        del read
        self.records = {
            r.old_address: r
            for r in ImportedPage.objects.filter(source=SOURCE)
            .select_related("article__category", "article__banner_after_intro", "category")
            # Only the fields a fingerprint covers: not what the body's save derived.
            .defer(*(f"article__{name}" for name in DERIVED_FIELDS))
        }
        if self.options.dry_run:
            self._write()
            return self.report
        try:
            with transaction.atomic():
                self._write()
        except BaseException:
            self._remove_written_files()
            raise
        return self.report

    def _read(self, path, furniture=None):
        if self.mirror.size(path) > MAX_PAGE_BYTES:
            raise ImportRefused(
                f"{path} is larger than {MAX_PAGE_BYTES // 1024**2} MB: not a page."
            )
        markup = decode(self.mirror.read_bytes(path))
        if markup is None:
            raise ImportRefused(f"{path} is not an HTML page (its bytes are not HTML text).")
        page = read_page(markup, path, furniture=furniture)
        if furniture is None:
            for block in page.shared_blocks:
                self.shared_seen[block] = self.shared_seen.get(block, 0) + 1
            # The first pass keeps what it read about the page, not its content.
            page.content = None
        return page

    def _find_host(self, read):
        if self.host:
            return
        for path, page in read:
            if path.lower() == "index.html" and page.canonical:
                self.host = urlsplit(page.canonical).netloc
                return
        for _, page in read:
            if page.canonical and urlsplit(page.canonical).netloc:
                self.host = urlsplit(page.canonical).netloc
                return

    def base_url(self, path):
        return f"https://{self.host or 'old-site.invalid'}/{path}"

    def old_path(self, href, *, base):
        """(path, fragment) on the old site that `href`, on the page at `base`,
        names (relative, root-relative, or absolute on the old host with or
        without www), or None when it leads elsewhere."""
        href = (href or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        try:
            absolute = urljoin(base, href)
            parts = urlsplit(absolute)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or not _same_host(
            parts.netloc, self.host or "old-site.invalid"
        ):
            return None
        # Decoded, as the mirroring tool saved "Long%20Run.html" as "Long Run.html".
        path = posixpath.normpath("/" + unquote(parts.path).lstrip("/")) if parts.path else "/"
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
        return path + (f"?{parts.query}" if parts.query else ""), parts.fragment

    def _read_feeds(self):
        for path in self.mirror.files:
            if not path.lower().endswith((".xml", ".rss")) or "/" in path:
                continue
            try:
                tree = ElementTree.fromstring(self.mirror.read_bytes(path))
            except Exception:  # noqa: BLE001, S112 - not every .xml is a feed
                continue
            channel = tree.find("channel")
            if tree.tag != "rss" or channel is None:
                continue
            self.feeds.add("/" + path)
            for item in channel.iter("item"):
                link = (item.findtext("link") or "").strip()
                found = self.old_path(link, base=self.base_url(""))
                if not found:
                    continue
                key = canonical_old_path(found[0])
                published = None
                when = (item.findtext("pubDate") or "").strip()
                if when:
                    try:
                        published = parsedate_to_datetime(when)
                        if published.tzinfo is None:
                            published = published.replace(tzinfo=UTC)
                    except (TypeError, ValueError):
                        self.report.add(
                            WARNINGS, f"{path}: the date {when!r} of {link} cannot be read"
                        )
                excerpt = html_to_text(item.findtext("description") or "")
                self.feed_items[key] = (published, excerpt)

    def _plan(self, read):
        self.furniture = {block for block, seen in self.shared_seen.items() if seen > 1}
        slugs_taken = {}
        for path, page in read:
            address = "/" + path
            key = canonical_old_path(address)
            if not page.title:
                self.report.add(SKIPPED, f"{address}: no h1 heading, so not an article or hub page")
                continue
            if key in self.pages:
                self.report.add(SKIPPED, f"{address}: the same address as /{self.pages[key].path}")
                continue
            planned = Planned(
                path=path,
                address=address,
                key=key,
                title=page.title[:200],
                description=page.description,
                og_image=page.og_image,
            )
            if key == "/":
                planned.kind = "home"
            base = self.base_url(path)
            if page.return_to:
                found = self.old_path(page.return_to, base=base)
                planned.return_key = canonical_old_path(found[0]) if found else ""
            for href, when, excerpt in page.recent:
                found = self.old_path(href, base=base)
                if found and canonical_old_path(found[0]) not in self.recent:
                    self.recent[canonical_old_path(found[0])] = (_parse_time(when), excerpt)
            if page.nav and not self.nav:
                self.nav = [
                    (heading, self._key(link, base), [self._key(h, base) for h in links])
                    for heading, link, links in page.nav
                ]
            self.pages[key] = planned
        # Hubs: pages others return to, and pages a nav header links to.
        hub_keys = {p.return_key for p in self.pages.values() if p.return_key}
        hub_keys |= {link for _, link, _ in self.nav if link}
        for key in hub_keys:
            if key in self.pages and self.pages[key].kind != "home":
                self.pages[key].kind = "hub"
        position = 0
        for heading, link, links in self.nav:
            position += 10
            hubs = [k for k in [link, *links] if k in self.pages and self.pages[k].kind == "hub"]
            if hubs:
                group_key = hubs[0]
            elif heading.strip():
                group_key = f"#nav:{slugify(heading)}"
                if group_key not in self.categories:
                    self.categories[group_key] = CategoryPlan(
                        group_key, heading.strip()[:200], slugify(heading)[:200], position
                    )
            else:
                continue
            for hub in hubs:
                self.pages[hub].nav_position = min(self.pages[hub].nav_position, position)
            for k in links:
                if (
                    k in self.pages
                    and self.pages[k].kind == "article"
                    and not self.pages[k].category_key
                ):
                    self.pages[k].category_key = group_key
        for planned in self.pages.values():
            if planned.kind == "home":
                continue
            planned.slug = self._slug_for(planned, slugs_taken)
            if planned.kind == "hub":
                self.categories[planned.key] = CategoryPlan(
                    planned.key, planned.title, planned.slug, planned.nav_position, page=planned
                )
        for plan in self.categories.values():
            if plan.page is None:
                plan.slug = self._free_slug(plan.slug or "section", slugs_taken)
        for planned in self.pages.values():
            if planned.kind != "article":
                continue
            if planned.return_key in self.categories:
                planned.category_key = planned.return_key
            elif planned.return_key and planned.return_key not in self.pages:
                self.report.add(
                    WARNINGS, f"{planned.address}: “Return to” names a page not in SOURCE"
                )
            if not planned.category_key:
                title, slug = FALLBACK_CATEGORY
                key = "#category:" + slug
                if key not in self.categories:
                    self.categories[key] = CategoryPlan(
                        key, title, self._free_slug(slug, slugs_taken), 100_000
                    )
                planned.category_key = key
                self.report.add(
                    WARNINGS,
                    f"{planned.address}: no “Return to” hub and not in the navigation; filed "
                    f"under “{title}”",
                )

    def _key(self, href, base):
        found = self.old_path(href, base=base) if href else None
        return canonical_old_path(found[0]) if found else ""

    def _slug_for(self, planned, taken):
        stem = PurePosixPath(planned.path).name.rsplit(".", 1)[0].lower()
        if PurePosixPath(planned.path).name.lower() in ("index.html", "index.htm"):
            stem = PurePosixPath(planned.path).parent.name.lower()
        slug = stem if re.fullmatch(r"[-a-z0-9_]+", stem) else slugify(stem)
        return self._free_slug(slug or "page", taken, planned=planned)

    def _free_slug(self, slug, taken, planned=None):
        slug = slug[:190]
        wanted = slug
        if slug in reserved_slugs():
            slug = f"{slug}-page"
        number = 2
        while slug in taken:
            slug = f"{wanted}-{number}"
            number += 1
        taken[slug] = True
        if planned is not None and slug != wanted:
            self.report.add(
                WARNINGS,
                f"{planned.address}: the address /{wanted}/ is taken; it moves to /{slug}/",
            )
        return slug

    # -- the second pass: writing ------------------------------------------

    def _write(self):
        dry = self.options.dry_run
        order = [p for p in self.pages.values() if p.kind == "hub"]
        order += [p for p in self.pages.values() if p.kind == "home"]
        order += [p for p in self.pages.values() if p.kind == "article"]
        for plan in self.categories.values():
            if plan.page is None:
                self._write_category(plan, intro="")
        for done, planned in enumerate(order, start=1):
            if self.progress:
                self.progress.update(done)
            if self._kept_as_edited(planned):
                continue
            page = self._read(planned.path, furniture=self.furniture)
            self.target = Target(planned)
            body = clean_body(page.content, context=self) if page.content else ""
            if planned.kind == "hub":
                self._write_category(self.categories[planned.key], intro=body)
            elif planned.kind == "home":
                self._write_home(planned, body)
            else:
                self._write_article(planned, body)
        self._write_redirects()
        if self.changed and not dry:
            content_changed()

    def _kept_as_edited(self, planned):
        """True (and reported) when an editor changed what an earlier run wrote
        for `planned` and --overwrite was not given: the page is not read again."""
        address = "/" if planned.kind == "home" else planned.address
        record = self._record(address)
        if record is None or self.options.overwrite:
            return False
        if planned.kind == "article" and record.article is not None:
            current, what = article_values(record.article), f"article “{record.article}”"
        elif planned.kind == "hub" and record.category is not None:
            self.categories[planned.key].category = record.category
            current, what = category_values(record.category), f"category “{record.category}”"
        elif planned.kind == "home":
            flat = FlatPage.objects.filter(url="/", sites=settings.SITE_ID).first()
            if flat is None:
                return False
            current, what = home_values(flat), "the home page's introduction"
        else:
            return False
        if fingerprint(current) == record.fingerprint:
            return False
        self.report.add(KEPT_EDITED, f"{address}: {what}")
        return True

    def _record(self, address):
        return self.records.get(address)

    def _keep_record(self, address, *, article=None, category=None, values):
        if self.options.dry_run:
            return
        ImportedPage.objects.update_or_create(
            source=SOURCE,
            old_address=address,
            defaults={"article": article, "category": category, "fingerprint": fingerprint(values)},
        )

    def _write_category(self, plan, *, intro):
        address = plan.page.address if plan.page else plan.key
        description = plan.page.description if plan.page else ""
        values = {
            "title": plan.title,
            "slug": plan.slug,
            "intro": stored_html(intro),
            "meta_description": cut_at_word(description, 160) if description else "",
        }
        record = self._record(address)
        category = record.category if record else None
        if category is not None:
            plan.category = category
            current = category_values(category)
            if current == values:
                self.report.count(CATEGORIES_UNCHANGED)
                return
            self.report.add(CATEGORIES_UPDATED, f"{address} → /{values['slug']}/")
        else:
            existing = Category.objects.filter(slug=plan.slug).first()
            if existing is not None:
                plan.category = existing
                self.report.add(
                    WARNINGS,
                    f"{address}: the category /{plan.slug}/ was already on the site; its articles "
                    "are filed under it and it is left as it is",
                )
                return
            if Article.objects.filter(slug=plan.slug).exists():
                plan.slug = f"{plan.slug}-section"
                values["slug"] = plan.slug
            category = Category()
            plan.category = category
            self.report.add(CATEGORIES_CREATED, f"{address} → /{values['slug']}/")
        self.changed = True
        if self.options.dry_run:
            return
        category.title = values["title"]
        category.slug = values["slug"]
        category.intro = values["intro"]
        category.meta_description = values["meta_description"]
        category.position = plan.position
        category.save()
        self._keep_record(address, category=category, values=category_values(category))

    def _write_home(self, planned, body):
        site = Site.objects.get_current()
        values = {"title": planned.title, "content": stored_html(body)}
        record = self._record("/")
        flat = FlatPage.objects.filter(url="/", sites=site).first()
        if record is not None and flat is not None:
            current = home_values(flat)
            if current == values:
                self.report.add(HOME, "unchanged")
                return
            self.report.add(HOME, "updated")
        elif flat is not None:
            self.report.add(KEPT_EDITED, "/: the site already has a home page introduction")
            return
        else:
            self.report.add(HOME, f"created from {planned.address} (Flat pages → “/”)")
        self.changed = True
        if self.options.dry_run:
            return
        flat = flat or FlatPage(url="/")
        flat.title = values["title"]
        flat.content = values["content"]
        flat.save()
        flat.sites.add(site)
        self._keep_record("/", values=home_values(flat))

    def _published_at(self, planned):
        published, excerpt = self.feed_items.get(planned.key, (None, ""))
        if published is None:
            published, recent_excerpt = self.recent.get(planned.key, (None, ""))
            excerpt = excerpt or recent_excerpt
        else:
            excerpt = excerpt or self.recent.get(planned.key, (None, ""))[1]
        if published is None:
            published = datetime.fromtimestamp(self.mirror.mtime(planned.path), tz=UTC)
            self.report.add(
                DATES_GUESSED,
                f"{planned.address}: {published:%Y-%m-%d %H:%M} UTC (the file's time)",
            )
        return published, excerpt

    def _write_article(self, planned, body):
        published, excerpt = self._published_at(planned)
        category_plan = self.categories[planned.category_key]
        image, image_alt = self._listing_image(planned)
        values = {
            "title": planned.title,
            "slug": planned.slug,
            "category": category_plan.category.slug
            if category_plan.category
            else category_plan.slug,
            "body": stored_html(body),
            "excerpt": excerpt.strip(),
            "meta_description": cut_at_word(planned.description, 160)
            if planned.description
            else "",
            "status": Article.Status.PUBLISHED if self.options.publish else Article.Status.DRAFT,
            "published_at": published.astimezone(UTC).isoformat(),
            "image": image,
            "image_alt": image_alt[:200],
            "banner": self.target.banner,
        }
        record = self._record(planned.address)
        article = record.article if record else None
        if article is not None:
            current = article_values(article)
            if current == values:
                self.report.count(ARTICLES_UNCHANGED)
                return
            self.report.add(ARTICLES_UPDATED, f"{planned.address} → /{planned.slug}/")
        else:
            taken = (
                Article.objects.filter(slug=planned.slug).first()
                or Category.objects.filter(slug=planned.slug).first()
            )
            if taken is not None:
                self.report.add(
                    SKIPPED,
                    f"{planned.address}: /{planned.slug}/ is already “{taken}” on this site; "
                    "rename one of them and run the import again",
                )
                planned.slug = ""
                return
            article = Article()
            self.report.add(ARTICLES_CREATED, f"{planned.address} → /{planned.slug}/")
        self.changed = True
        if self.options.dry_run:
            return
        article.title = values["title"]
        article.slug = values["slug"]
        article.category = category_plan.category
        article.body = body
        article.excerpt = values["excerpt"]
        article.meta_description = values["meta_description"]
        article.status = values["status"]
        article.published_at = published
        article.image = image
        article.image_alt = values["image_alt"]
        article.banner_after_intro = (
            AffiliateLink.objects.get(slug=self.target.banner) if self.target.banner else None
        )
        thumbnails = {article.thumbnail.name, article.thumbnail_webp.name}
        article.save()
        for made in (article.thumbnail.name, article.thumbnail_webp.name):
            if made and made not in thumbnails:
                self.written.append(made)
        made = Rendition.objects.filter(
            source__in=set(self.target.images), created_at__gte=self.started
        ).values_list("file", flat=True)
        self.written.extend(name for name in made if name not in self.written_set)
        self.written_set.update(self.written)
        self._keep_record(planned.address, article=article, values=article_values(article))

    def _listing_image(self, planned):
        """The article's picture for listings and sharing: og:image, else the
        first image of its body (already copied), with that image's alt text."""
        if planned.og_image:
            found = self._mirror_image({"src": planned.og_image}, report_missing=False)
            if found:
                return found[0], found[1] or planned.title
        if self.target.images:
            return self.target.images[0], self.target.alts[0] or planned.title
        return "", ""

    def _write_redirects(self):
        rows = []
        for planned in self.pages.values():
            if planned.kind == "home" or not planned.slug:
                continue
            new = reverse("articles:page", kwargs={"slug": planned.slug})
            if canonical_old_path(planned.address) != new:
                rows.append((planned.address, new))
        addresses = {"/" + path: name for path, name in self.copied.items() if name}
        addresses |= self.old_image_addresses
        for old, name in sorted(addresses.items()):
            rows.append((old, settings.MEDIA_URL + name))
        for feed in sorted(self.feeds):
            rows.append((feed, reverse("articles:feed")))
        outcomes = {
            "created": REDIRECTS_CREATED,
            "updated": REDIRECTS_UPDATED,
            "unchanged": REDIRECTS_UNCHANGED,
        }
        for old, new in rows:
            try:
                outcome = self._redirect(old, new)
            except RedirectRefused as refused:
                self.report.add(REDIRECTS_REFUSED, f"{old} → {new}: {refused}")
                continue
            self.report.count(outcomes[outcome])

    def _redirect(self, old, new):
        if not self.options.dry_run:
            return save_redirect(old, new)
        old_path, new_path = plan_redirect(old, new)
        row = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path).first()
        if row is None:
            return "created"
        return "unchanged" if row.new_path == new_path else "updated"

    # -- what old_body asks about images and links -----------------------

    def image(self, attrs):
        found = self._mirror_image(attrs)
        if found is None:
            return None
        name, alt = found
        self.target.images.append(name)
        self.target.alts.append(alt)
        return settings.MEDIA_URL + name, alt

    def _candidates(self, attrs):
        for attribute in ("data-pin-media", "data-src", "src"):
            value = (attrs.get(attribute) or "").strip()
            if not value:
                continue
            found = self.old_path(value, base=self.base_url(self.target.planned.path))
            if not found:
                continue
            path = found[0].split("?", 1)[0]
            folder, name = posixpath.split(path)
            match = PAGE_SPEED.match(name)
            if match:
                original = match["original"]
                if original.startswith("x"):
                    yield posixpath.join(folder, original[1:])
                yield posixpath.join(folder, original)
            yield path

    def _mirror_image(self, attrs, *, report_missing=True):
        """(media name, alt text) of the image `attrs` describe, copied from the mirror."""
        path = next(
            (found for c in self._candidates(attrs) if (found := self.mirror.find(c))), None
        )
        where = self.target.planned.address
        shown = attrs.get("data-pin-media") or attrs.get("data-src") or attrs.get("src") or ""
        if path is None or not path.lower().endswith(IMAGE_SUFFIXES):
            if report_missing:
                self.report.add(IMAGES_MISSING, f"{where}: {shown or '(no address)'}")
            return None
        name = self._copy_image(path)
        if name is None:
            return None
        base = self.base_url(self.target.planned.path)
        for attribute in ("data-pin-media", "data-src", "src"):
            found = self.old_path(attrs.get(attribute) or "", base=base)
            if found and found[0].lower().endswith(IMAGE_SUFFIXES):
                self.old_image_addresses.setdefault(found[0], name)
        alt = " ".join((attrs.get("alt") or "").split())
        if report_missing and (not alt or _looks_like_file_name(alt, path)):
            self.report.add(ALT_TO_WRITE, f"{where}: {settings.MEDIA_URL}{name}")
            alt = ""
        return name, alt

    def _copy_image(self, path):
        if path in self.copied:
            return self.copied[path]
        try:
            with self.mirror.open(path) as source:
                cleaned = clean_image(File(BytesIO(source.read()), name=PurePosixPath(path).name))
        except ValidationError as error:
            self.report.add(IMAGES_REFUSED, f"/{path}: {' '.join(error.messages)}")
            self.copied[path] = None
            return None
        data = cleaned.read()
        digest = hashlib.sha256(data).hexdigest()
        pure = PurePosixPath(path)
        folders = [get_valid_filename(part) for part in pure.parent.parts]
        stem = get_valid_filename(pure.stem)[:80] or "image"
        extension = cleaned.name.rsplit(".", 1)[-1]
        for suffix in ("", f"-{digest[:8]}", f"-{digest[:20]}"):
            name = "/".join([MEDIA_FOLDER, *folders, f"{stem}{suffix}.{extension}"])
            try:
                default_storage.path(name)
            except SuspiciousFileOperation:
                raise ImportRefused(
                    f"/{path} would be stored outside MEDIA_ROOT; refused."
                ) from None
            known = self.planned_names.get(name)
            if known == digest:
                break
            if known is None and not default_storage.exists(name):
                self.planned_names[name] = digest
                self.report.count(IMAGES_COPIED)
                if not self.options.dry_run:
                    saved = default_storage.save(name, ContentFile(data))
                    self.written.append(saved)
                    name = saved
                break
            if known is None and _stored_digest(name) == digest:
                self.planned_names[name] = digest
                self.report.count(IMAGES_THERE)
                break
        self.copied[path] = name
        return name

    def link(self, href, text=""):
        href = (href or "").strip()
        if not href:
            return None
        if href.startswith(("javascript:", "data:", "vbscript:")):
            return None
        if href.startswith("#"):
            return href
        found = self.old_path(href, base=self.base_url(self.target.planned.path))
        if found is None:
            absolute = urljoin(self.base_url(self.target.planned.path), href)
            if is_affiliate_host(absolute) or is_affiliate_host(
                absolute.replace("http://", "https://", 1)
            ):
                slug = self._affiliate(absolute, kind=AffiliateLink.Kind.TEXT, name=text)
                return reverse("affiliates:go", kwargs={"slug": slug}) if slug else absolute
            return href
        path, fragment = found
        key = canonical_old_path(path)
        planned = self.pages.get(key)
        if planned is not None and (planned.slug or planned.kind == "home"):
            self.report.count(LINKS_REWRITTEN)
            new = (
                "/"
                if planned.kind == "home"
                else reverse("articles:page", kwargs={"slug": planned.slug})
            )
            return new + (f"#{fragment}" if fragment else "")
        file = self.mirror.find(path.split("?", 1)[0])
        if file and file.lower().endswith(IMAGE_SUFFIXES):
            name = self._copy_image(file)
            if name:
                self.report.count(LINKS_REWRITTEN)
                return settings.MEDIA_URL + name
        self.report.add(LINKS_BROKEN, f"{self.target.planned.address}: {href}")
        # Left at its old path: if the page comes later, its old address is redirected.
        return quote(path, safe="/?=&")

    def banner(self, href, image_attrs):
        """True when the image link to `href` is the article's banner (after
        its intro), the /go/ address when it is a further banner, else None."""
        absolute = urljoin(self.base_url(self.target.planned.path), href)
        if not (
            is_affiliate_host(absolute)
            or is_affiliate_host(absolute.replace("http://", "https://", 1))
        ):
            return None
        found = self._mirror_image(image_attrs)
        if found is None:
            return None
        name, alt = found
        slug = self._affiliate(
            absolute, kind=AffiliateLink.Kind.BANNER, name=alt, image=name, alt=alt
        )
        if slug is None:
            return None
        if self.target.planned.kind == "article" and not self.target.banner:
            self.target.banner = slug
            return True
        return reverse("affiliates:go", kwargs={"slug": slug})

    def _affiliate(self, url, *, kind, name, image="", alt=""):
        """The slug of the affiliate link to `url`, registered if new; None if refused."""
        if url.startswith("http://"):
            url = "https://" + url[len("http://") :]
        where = self.target.planned.address
        try:
            validate_affiliate_destination(url)
        except ValidationError as error:
            self.report.add(AFFILIATE_REFUSED, f"{where}: {url}: {' '.join(error.messages)}")
            return None
        known_key = (kind, url, image)
        if known_key in self.links:
            return self.links[known_key]
        existing = AffiliateLink.objects.filter(destination_url=url, kind=kind)
        if image:
            existing = existing.filter(banner_image=image)
        found = existing.first()
        if found is not None:
            self.links[known_key] = found.slug
            self.report.count(AFFILIATE_KNOWN)
            return found.slug
        host = host_of(url)
        label = " ".join((name or "").split())[:150] or host
        base = slugify(label)[:60] or slugify(host)
        if kind == AffiliateLink.Kind.BANNER:
            base = f"{base}-banner"[:70]
        slug, number = base, 2
        while slug in self.planned_slugs or AffiliateLink.objects.filter(slug=slug).exists():
            slug = f"{base}-{number}"
            number += 1
        self.planned_slugs.add(slug)
        self.links[known_key] = slug
        self.report.add(AFFILIATE_REGISTERED, f"/go/{slug}/ → {url}")
        if not self.options.dry_run:
            tag = dict(parse_qsl(urlsplit(url).query)).get("tag", "")
            link = AffiliateLink(
                name=f"{label} ({host})"[:200],
                slug=slug,
                destination_url=url,
                merchant="Amazon Associates" if "amazon" in host or "amzn" in host else host,
                tracking_tag=tag[:100],
                kind=kind,
                banner_image=image,
                banner_alt=(alt or label)[:200] if kind == AffiliateLink.Kind.BANNER else "",
                notes=f"Registered by import_pages from {where}.",
            )
            link.save()
        return slug

    def _remove_written_files(self):
        for name in self.written:
            with contextlib.suppress(OSError):
                default_storage.delete(name)


def _stored_digest(name):
    with default_storage.open(name) as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def _parse_time(value):
    """The Recent Articles widget's exact time ("2018-03-19T19:39:16-0400"), or None."""
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%z"):
        try:
            return datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
    return None


def import_pages(mirror, *, options, report, progress=None):
    """Import the mirror into the site, filling `report`; see the module docstring."""
    return SiteImport(mirror, options=options, report=report, progress=progress).run()
