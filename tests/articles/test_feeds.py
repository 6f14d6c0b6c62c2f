"""RSS 2.0 per hub: /<hub-slug>/feed/, announced on the hub, cached like pages."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import ArticleFactory, CategoryFactory, create_archive

pytestmark = pytest.mark.django_db


def channel_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.find("channel")


def hub_feed(hub):
    return reverse("articles:category_feed", kwargs={"slug": hub.slug})


def test_a_hub_feed_lists_the_hubs_newest_published_articles_only(client, settings):
    settings.FEED_ARTICLES_COUNT = 3
    knee = CategoryFactory(title="Knee pain", slug="knee-pain")
    now = timezone.now()
    for hours in range(1, 6):
        ArticleFactory(
            category=knee, title=f"Knee {hours}", published_at=now - timedelta(hours=hours)
        )
    ArticleFactory(category=knee, title="Knee draft", draft=True)
    ArticleFactory(category=knee, title="Knee later", scheduled=True)
    ArticleFactory(title="Shin splints")  # another hub

    channel = channel_of(client.get("/knee-pain/feed/"))
    assert channel.findtext("title") == "Knee pain | Running Injury Clinic"
    assert channel.findtext("link") == "http://testserver/knee-pain/"
    assert [item.findtext("title") for item in channel.findall("item")] == [
        "Knee 1",
        "Knee 2",
        "Knee 3",
    ]
    first = channel.find("item")
    assert first.findtext("link").startswith("http://testserver/article-")
    assert first.findtext("category") == "Knee pain"


def test_the_hub_page_announces_its_feed(client):
    hub = CategoryFactory(title="Knee pain", slug="knee-pain")
    assertContains(
        client.get(hub.get_absolute_url()),
        '<link rel="alternate" type="application/rss+xml" '
        'title="Running Injury Clinic: Knee pain" href="http://testserver/knee-pain/feed/">',
        html=True,
    )


def test_an_article_or_unknown_address_has_no_hub_feed(client):
    article = ArticleFactory(slug="runners-knee")
    assert client.get("/runners-knee/feed/").status_code == 404
    assert client.get("/nothing-here/feed/").status_code == 404
    assert article.category.slug != "runners-knee"


def test_a_hub_feed_is_cached_and_a_new_article_shows_in_it_at_once(client):
    hub = CategoryFactory(slug="knee-pain")
    ArticleFactory(category=hub, title="First")
    url = hub_feed(hub)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    ArticleFactory(category=hub, title="Second", published_at=timezone.now())
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert [i.findtext("title") for i in channel_of(response).findall("item")][0] == "Second"


def test_a_renamed_hub_keeps_its_title_out_of_the_feed_markup(client):
    hub = CategoryFactory(slug="knee-pain", title="Knees </title><script>alert(1)</script>")
    response = client.get(hub_feed(hub))
    assert b"<script>" not in response.content
    assert channel_of(response).findtext("title").startswith("Knees </title><script>")


@pytest.mark.parametrize("articles", [15, 500])
def test_a_hub_feed_costs_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries, articles
):
    settings.PAGE_CACHE_ENABLED = False
    hub = create_archive(articles=articles)[0]
    # The hub, its newest articles, and the Sites row syndication reads.
    with django_assert_max_num_queries(3):
        assert client.get(hub_feed(hub)).status_code == 200


def test_pages_other_than_hubs_do_not_announce_a_hub_feed(client):
    article = ArticleFactory()
    assertNotContains(client.get(article.get_absolute_url()), f"/{article.category.slug}/feed/")
