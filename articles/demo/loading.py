"""The demo site's articles: categories, affiliate links, articles with
their pictures, and the affiliate disclosure page (`manage.py load_demo`,
comments/management/commands/load_demo.py, adds the demo comments).

Running it again changes nothing: anything that already exists (matched by
slug) is left exactly as it is, so an editor's changes to demo pages survive.
"""

import re
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from affiliates.models import AffiliateLink
from articles.demo import content, pictures
from articles.models import Article, Category

BODY_PICTURE = "demo/runners-knee-stairs.png"


def fill_placeholders(body):
    body = body.replace("{media}", settings.MEDIA_URL)
    body = re.sub(
        r"\{go:([\w-]+)\}",
        lambda match: reverse("affiliates:go", kwargs={"slug": match.group(1)}),
        body,
    )
    return re.sub(
        r"\{url:([\w-]+)\}",
        lambda match: reverse("articles:page", kwargs={"slug": match.group(1)}),
        body,
    )


def load_demo_articles():
    """Create what is missing of the demo categories, affiliate links,
    articles and disclosure page; returns how many objects were made."""
    categories = {}
    created = 0
    for data in content.CATEGORIES:
        category, was_created = Category.objects.get_or_create(
            slug=data["slug"],
            defaults={key: value for key, value in data.items() if key != "slug"},
        )
        categories[category.slug] = category
        created += was_created

    # Before the articles: saving one makes the resized copies of its body images.
    _write_body_picture()
    links = {}
    for data in content.AFFILIATE_LINKS:
        link, was_created = _affiliate_link(data)
        links[link.slug] = link
        created += was_created

    for data in content.ARTICLES:
        if Article.objects.filter(slug=data["slug"]).exists():
            continue
        _article(data, categories, links)
        created += 1
    return created + _disclosure_page()


def _article(data, categories, links):
    article = Article(
        slug=data["slug"],
        title=data["title"],
        category=categories[data["category"]],
        body=fill_placeholders(data["body"]),
        excerpt=data["excerpt"],
        meta_description=data.get("meta_description", ""),
        image_alt=data["image_alt"],
        status=Article.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime(*data["published"])),
        toc_enabled=data.get("toc_enabled", False),
        updated_on=data.get("updated_on"),
        reviewed_by=data.get("reviewed_by", ""),
        reviewed_on=data.get("reviewed_on"),
        banner_after_intro=links.get(data.get("banner_after_intro")),
    )
    if data["picture"]:
        sky, ground, accent = data["picture"]
        png = pictures.landscape(sky=sky, ground=ground, accent=accent)
        article.image.save(f"{data['slug']}.png", ContentFile(png), save=False)
    article.full_clean()
    article.save()
    # Its last change is the demo's date, not the day the demo was loaded
    # (the sitemap and structured data tell crawlers this date).
    changed = data.get("updated_on")
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.make_aware(datetime.combine(changed, time(12)))
        if changed
        else article.published_at
    )


def _affiliate_link(data):
    link = AffiliateLink.objects.filter(slug=data["slug"]).first()
    if link is not None:
        return link, False
    fields = {key: value for key, value in data.items() if key != "banner"}
    link = AffiliateLink(**fields)
    if "banner" in data:
        png = pictures.banner(**data["banner"])
        link.banner_image.save(f"{data['slug']}.png", ContentFile(png), save=False)
    link.full_clean()
    link.save()
    return link, True


def _disclosure_page():
    data = content.DISCLOSURE_PAGE
    page, was_created = FlatPage.objects.get_or_create(
        url=data["url"], defaults={"title": data["title"], "content": data["content"]}
    )
    if was_created:
        page.sites.add(Site.objects.get_current())
    return was_created


def _write_body_picture():
    path = Path(settings.MEDIA_ROOT) / BODY_PICTURE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            pictures.landscape(sky=(120, 170, 215), ground=(70, 140, 80), accent=(250, 210, 90))
        )
