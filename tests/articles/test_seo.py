import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles import seo
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_an_article_page_has_title_description_canonical_and_sharing_tags(client):
    article = ArticleFactory(
        title="Runner's Knee", meta_description="Why the kneecap aches.", with_image=True
    )
    response = client.get(page_url(article))
    html = response.content.decode()
    url = f"http://testserver{page_url(article)}"
    image = f"http://testserver{article.image.url}"
    assert "<title>Runner&#x27;s Knee | " in html
    for tag in [
        '<meta name="description" content="Why the kneecap aches.">',
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="Runner&#x27;s Knee">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:image" content="{image}">',
        '<meta property="og:image:alt" content="A runner on a hill">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:image" content="{image}">',
    ]:
        assertContains(response, tag, html=True)


def test_the_meta_description_falls_back_to_the_excerpt(client):
    article = ArticleFactory(meta_description="", excerpt="Short and plain.")
    assertContains(
        client.get(page_url(article)),
        '<meta name="description" content="Short and plain.">',
        html=True,
    )


def test_the_site_url_setting_makes_every_absolute_address(client, settings):
    settings.SITE_URL = "https://injuries.example.org"
    article = ArticleFactory()
    html = client.get(page_url(article)).content.decode()
    assert f'<link rel="canonical" href="https://injuries.example.org{page_url(article)}">' in html
    assert "testserver" not in html


def test_structured_data_of_an_article_about_no_injury_is_a_web_page_about_the_article(client):
    """Gear and training articles (no symptoms or regions) are not medical
    pages; tests/articles/test_medical_json_ld.py covers injury articles."""
    category = CategoryFactory(title="Running Gear")
    article = ArticleFactory(
        category=category,
        title="Knee Sleeves Compared",
        meta_description="Which sleeve stays put.",
        updated_on=date(2025, 3, 4),
        reviewer=ReviewerFactory(name="Dr Ng", credentials="physiotherapist"),
        reviewed_on=date(2025, 3, 1),
        with_image=True,
    )
    url = f"http://testserver{page_url(article)}"
    page = json_ld(client.get(page_url(article)).content.decode())
    assert page["@context"] == "https://schema.org"
    assert page["@type"] == "WebPage"
    assert page["url"] == url
    # schema.org defines the medical review on the page (WebPage), not on the Article.
    assert page["reviewedBy"]["name"] == "Dr Ng"
    assert page["lastReviewed"] == "2025-03-01"
    main = page["mainEntity"]
    assert main["@type"] == "Article"
    assert "reviewedBy" not in main
    assert "lastReviewed" not in main
    assert main["headline"] == "Knee Sleeves Compared"
    assert main["description"] == "Which sleeve stays put."
    assert main["datePublished"] == article.published_at.isoformat()
    # The editor's "Updated" date, not the last save.
    assert main["dateModified"] == "2025-03-04"
    assert main["image"] == f"http://testserver{article.image.url}"
    publisher = {
        "@type": "Organization",
        "name": "Running Injury Clinic",
        "url": "http://testserver/",
    }
    assert main["publisher"] == publisher
    # No author recorded: the site itself is the author.
    assert main["author"] == publisher
    crumbs = page["breadcrumb"]
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "Running Injury Clinic", "http://testserver/"),
        (2, "Running Gear", f"http://testserver{page_url(category)}"),
        (3, "Knee Sleeves Compared", url),
    ]


def test_article_structured_data_names_the_author_and_leaves_out_what_is_not_set(client):
    author = User.objects.create_user("ng", first_name="Mei", last_name="Ng")
    article = ArticleFactory(author=author, meta_description="", excerpt="")
    page = json_ld(client.get(page_url(article)).content.decode())
    assert page["mainEntity"]["author"] == {"@type": "Person", "name": "Mei Ng"}
    for absent in ["reviewedBy", "lastReviewed"]:
        assert absent not in page
    assert "image" not in page["mainEntity"]


def test_the_home_page_describes_the_site_and_its_search(client):
    html = client.get(reverse("articles:home")).content.decode()
    site = json_ld(html)
    assert site["@type"] == "WebSite"
    assert site["url"] == "http://testserver/"
    assert site["name"] == "Running Injury Clinic"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    # The template, filled in, is the site's own search.
    ArticleFactory(title="Shin Splints")
    path = template.replace("{search_term_string}", "shin").removeprefix("http://testserver")
    assertContains(client.get(path), "Shin Splints")


def test_a_hub_is_a_collection_page_with_its_breadcrumbs(client):
    category = CategoryFactory(title="Knee Injuries", meta_description="Every knee problem.")
    ArticleFactory(category=category)
    page = json_ld(client.get(page_url(category)).content.decode())
    url = f"http://testserver{page_url(category)}"
    assert page["@type"] == "CollectionPage"
    assert page["url"] == url
    assert page["name"] == "Knee Injuries"
    assert page["description"] == "Every knee problem."
    crumbs = page["breadcrumb"]["itemListElement"]
    assert page["breadcrumb"]["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in crumbs] == [
        (1, "Running Injury Clinic", "http://testserver/"),
        (2, "Knee Injuries", url),
    ]


@pytest.mark.parametrize("where", ["home", "hub", "article"])
def test_no_title_can_break_out_of_any_structured_data_script(client, settings, where):
    hostile = "</script><script>alert(1)</script><!--&"
    settings.SITE_NAME = hostile
    category = CategoryFactory(title=hostile)
    article = ArticleFactory(category=category, title=hostile)
    url = {
        "home": reverse("articles:home"),
        "hub": page_url(category),
        "article": page_url(article),
    }
    html = client.get(url[where]).content.decode()
    assert "<script>alert(1)" not in html
    data = json_ld(html)
    assert data["name"] == hostile


def test_every_page_advertises_the_feed(client):
    category = CategoryFactory()
    for url in [reverse("articles:home"), page_url(category), reverse("articles:search")]:
        assertContains(
            client.get(url),
            '<link rel="alternate" type="application/rss+xml" '
            'title="Running Injury Clinic: newest articles" href="http://testserver/feed/">',
            html=True,
        )


def test_the_feed_is_rss_of_the_twenty_newest_published_articles_with_thumbnails(client):
    now = timezone.now()
    for hours in range(1, 23):
        ArticleFactory(title=f"Piece {hours}", published_at=now - timedelta(hours=hours))
    pictured = ArticleFactory(title="Pictured", with_image=True, excerpt="With a picture.")
    ArticleFactory(draft=True, title="Hidden draft")
    ArticleFactory(scheduled=True, title="Hidden future")
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    items = channel.findall("item")
    assert len(items) == 20
    assert [i.findtext("title") for i in items[:3]] == ["Pictured", "Piece 1", "Piece 2"]
    first = items[0]
    assert first.findtext("link") == f"http://testserver{page_url(pictured)}"
    assert first.findtext("description") == "With a picture."
    assert first.findtext("pubDate")
    enclosure = first.find("enclosure")
    assert enclosure.get("url") == f"http://testserver{pictured.thumbnail.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == pictured.thumbnail.size
    assert items[1].find("enclosure") is None


def sitemap_lastmods(client):
    response = client.get(reverse("articles:sitemap"))
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {
        u.findtext("s:loc", namespaces=ns).removeprefix("http://testserver"): u.findtext(
            "s:lastmod", namespaces=ns
        )
        for u in ET.fromstring(response.content).findall("s:url", ns)  # noqa: S314
    }


def day(moment):
    return timezone.localdate(moment).isoformat()


def test_the_sitemap_gives_each_page_its_own_last_change(client):
    now = timezone.now()
    knees, feet = CategoryFactory(slug="knees"), CategoryFactory(slug="feet")
    old = ArticleFactory(category=knees, slug="old", published_at=now - timedelta(days=300))
    edited = ArticleFactory(category=knees, slug="edited", published_at=now - timedelta(days=200))
    # A scheduled article goes live without being saved again: its publication is its change.
    went_live = ArticleFactory(
        category=feet, slug="went-live", published_at=now - timedelta(days=3)
    )
    Article.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=250))
    Article.objects.filter(pk=edited.pk).update(updated_at=now - timedelta(days=20))
    Article.objects.filter(pk=went_live.pk).update(updated_at=now - timedelta(days=9))
    ArticleFactory(category=feet, slug="future", scheduled=True)
    assert sitemap_lastmods(client) == {
        "/": day(now - timedelta(days=3)),
        "/knees/": day(now - timedelta(days=20)),
        "/feet/": day(now - timedelta(days=3)),
        "/old/": day(now - timedelta(days=250)),
        "/edited/": day(now - timedelta(days=20)),
        "/went-live/": day(now - timedelta(days=3)),
    }


def test_the_demo_sitemap_dates_are_the_demo_pages_own_not_the_day_it_was_loaded(client):
    call_command("load_demo", stdout=StringIO())
    lastmods = sitemap_lastmods(client)
    today = day(timezone.now())
    assert today not in lastmods.values()
    knee = Article.objects.get(slug="runners-knee")
    assert lastmods["/runners-knee/"] == "2025-03-04"  # its "Updated" date
    assert lastmods["/it-band-syndrome/"] == "2024-10-24"  # never updated: published
    assert lastmods[knee.category.get_absolute_url()] == max(
        day(seo.last_modified(a)) for a in knee.category.articles.all()
    )
    # The structured data says the same.
    page = json_ld(client.get(page_url(knee)).content.decode())
    assert page["dateModified"] == "2025-03-04"


def test_the_sitemap_lists_home_categories_and_published_articles_with_last_change(client):
    category = CategoryFactory(slug="knees")
    article = ArticleFactory(category=category, slug="runners-knee")
    ArticleFactory(draft=True, slug="draft-piece", category=category)
    ArticleFactory(scheduled=True, slug="future-piece", category=category)
    response = client.get(reverse("articles:sitemap"))
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in ET.fromstring(response.content).findall("s:url", ns)  # noqa: S314
    }
    assert set(urls) == {
        "http://testserver/",
        "http://testserver/knees/",
        "http://testserver/runners-knee/",
    }
    assert urls["http://testserver/runners-knee/"] == article.updated_at.date().isoformat()
    assert urls["http://testserver/knees/"] == article.updated_at.date().isoformat()


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get(reverse("robots_txt"))
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
