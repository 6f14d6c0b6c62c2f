"""RSS 2.0 of approved comments: /comments/feed/ for the site and
/<article-slug>/comments/feed/ for each article; announced, cached like pages."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, create_archive

pytestmark = pytest.mark.django_db


def items_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.get("version") == "2.0"
    return root.find("channel"), root.find("channel").findall("item")


def article_feed(article):
    return reverse("comments:article_feed", kwargs={"slug": article.slug})


def test_an_articles_feed_has_its_approved_comments_newest_first_and_nothing_else(client):
    article = ArticleFactory(title="Runner's knee", slug="runners-knee")
    now = timezone.now()
    CommentFactory(
        article=article, name="Ann", text="Older one.", created_at=now - timedelta(hours=2)
    )
    CommentFactory(
        article=article, name="Bob", text="Newer one.", created_at=now - timedelta(hours=1)
    )
    CommentFactory(article=article, name="Pending", pending=True)
    CommentFactory(article=article, name="Spammer", spam=True)
    CommentFactory(article=article, name="Gone", removed=True)
    CommentFactory(name="Elsewhere")

    channel, items = items_of(client.get("/runners-knee/comments/feed/"))
    assert channel.findtext("title") == "Comments on Runner's knee | Running Injury Clinic"
    assert channel.findtext("link") == "http://testserver/runners-knee/"
    assert [item.findtext("title") for item in items] == [
        "Bob on Runner's knee",
        "Ann on Runner's knee",
    ]
    bob = Comment.objects.get(name="Bob")
    assert items[0].findtext("link") == f"http://testserver{bob.get_absolute_url()}"
    assert items[0].findtext("description") == "<p>Newer one.</p>"
    assert items[0].findtext("pubDate")


def test_the_site_feed_has_the_newest_approved_comments_of_published_articles(client, settings):
    settings.FEED_COMMENTS_COUNT = 2
    now = timezone.now()
    knee, shin = ArticleFactory(title="Knee"), ArticleFactory(title="Shin")
    draft = ArticleFactory(title="Draft", draft=True)
    CommentFactory(article=knee, name="Ann", created_at=now - timedelta(hours=3))
    CommentFactory(article=shin, name="Bob", created_at=now - timedelta(hours=2))
    CommentFactory(article=knee, name="Cy", created_at=now - timedelta(hours=1))
    CommentFactory(article=draft, name="Hidden", created_at=now)
    CommentFactory(article=shin, name="Waiting", pending=True, created_at=now)

    channel, items = items_of(client.get(reverse("comments:feed")))
    assert channel.findtext("title") == "Comments | Running Injury Clinic"
    assert [item.findtext("title") for item in items] == ["Cy on Knee", "Bob on Shin"]


def test_a_comments_text_is_escaped_in_the_feed(client):
    article = ArticleFactory()
    CommentFactory(article=article, text="<script>alert(1)</script> & <b>bold</b>")
    response = client.get(article_feed(article))
    assert b"<script>" not in response.content
    _, items = items_of(response)
    assert items[0].findtext("description") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>"
    )


def test_a_draft_or_unknown_article_has_no_comment_feed(client):
    draft = ArticleFactory(draft=True)
    assert client.get(article_feed(draft)).status_code == 404
    assert client.get("/no-such-article/comments/feed/").status_code == 404


def test_the_feeds_are_announced_on_the_article_and_home_pages(client):
    article = ArticleFactory(title="Runner's knee", slug="runners-knee")
    assertContains(
        client.get(article.get_absolute_url()),
        '<link rel="alternate" type="application/rss+xml" title="Comments on Runner&#x27;s knee" '
        'href="http://testserver/runners-knee/comments/feed/">',
        html=True,
    )
    assertContains(
        client.get(reverse("articles:home")),
        '<link rel="alternate" type="application/rss+xml" '
        'title="Running Injury Clinic: newest comments" href="http://testserver/comments/feed/">',
        html=True,
    )


@pytest.mark.parametrize("feed", ["article", "site"])
def test_a_newly_approved_comment_shows_in_a_cached_feed_at_once_and_a_pending_one_never(
    client, feed
):
    article = ArticleFactory()
    url = article_feed(article) if feed == "article" else reverse("comments:feed")
    CommentFactory(article=article, name="First")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    waiting = CommentFactory(article=article, name="Waiting", pending=True)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"  # a pending post leaves the cached feed as it is
    assert [i.findtext("title").split()[0] for i in items_of(response)[1]] == ["First"]

    waiting.status = Comment.Status.APPROVED
    waiting.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert [i.findtext("title").split()[0] for i in items_of(response)[1]] == ["Waiting", "First"]


@pytest.mark.parametrize("comments", [10, 500])
def test_the_comment_feeds_cost_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries, comments
):
    settings.PAGE_CACHE_ENABLED = False
    create_archive(articles=15, comments=comments)
    article = Comment.objects.first().article
    # The article, its newest comments, and the Sites row syndication reads.
    with django_assert_max_num_queries(3):
        assert client.get(article_feed(article)).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("comments:feed")).status_code == 200
