import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests.factories import ArticleFactory, CategoryFactory

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


def test_article_structured_data_has_the_article_and_its_category_as_breadcrumb(client):
    category = CategoryFactory(title="Knee Injuries")
    article = ArticleFactory(category=category, title="Runner's Knee", reviewed_by="Dr Ng")
    data = json_ld(client.get(page_url(article)).content.decode())
    main, breadcrumbs = data
    assert main["@type"] == "Article"
    assert main["headline"] == "Runner's Knee"
    assert main["datePublished"] == article.published_at.isoformat()
    assert main["reviewedBy"] == {"@type": "Person", "name": "Dr Ng"}
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "Running Injury Clinic",
        "Knee Injuries",
        "Runner's Knee",
    ]
    assert breadcrumbs["itemListElement"][1]["item"] == f"http://testserver{page_url(category)}"


def test_a_title_cannot_break_out_of_the_structured_data_script(client):
    article = ArticleFactory(title="</script><script>alert(1)</script><!--")
    html = client.get(page_url(article)).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[0]["headline"] == "</script><script>alert(1)</script><!--"


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
