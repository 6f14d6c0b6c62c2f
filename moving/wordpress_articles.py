"""One WordPress post or page as an article, and the addresses in it.

An article is known again by its post id (an ImportedPage row with the
fingerprint of what the import wrote). When its fields no longer match that
fingerprint an editor has changed it, and it is left alone unless the import
overwrites; when the export says the same as last time it is not saved
again (no new revision).
"""

import hashlib
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from articles.models import Article
from articles.redirects import canonical_old_path
from core.markup import html_to_text
from moving.models import ImportedPage
from moving.wordpress_categories import SOURCE, category_for
from moving.wordpress_content import convert

TITLE_LENGTH = Article._meta.get_field("title").max_length
DESCRIPTION_LENGTH = Article._meta.get_field("meta_description").max_length
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


def store_article(run, item, plan, published_at):
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
        "category": category_for(run, item),
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


def _description(item):
    for key in DESCRIPTION_KEYS:
        value = " ".join(item.meta.get(key, "").split())
        if value:
            return value[:DESCRIPTION_LENGTH]
    return ""


def item_date(item):
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


def old_hosts(channel):
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
