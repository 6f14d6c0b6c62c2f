"""A comment makes stale only the cached pages that show it: its article's
(every page of its comments) and its hub's, which counts it. Every other
cached page stays a hit, so moderators approving all day leave the cache warm;
an edit of an article shown elsewhere (its title) still refreshes every page
(tests/articles/test_save_scopes.py has the edits that refresh its page alone)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comments.models import MOST_ARTICLES_PER_CHANGE, Comment
from tests.articles.test_page_cache import outcome, page_url
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    knees, feet = CategoryFactory(title="Knee pain"), CategoryFactory(title="Foot pain")
    article = ArticleFactory(category=knees, title="Runner's knee")
    neighbour = ArticleFactory(category=knees, title="Jumper's knee")
    elsewhere = ArticleFactory(category=feet, title="Plantar fasciitis")
    return {
        "article": article,
        "showing": [page_url(article), page_url(article) + "?page=1", page_url(knees)],
        "not_showing": [
            reverse("articles:home"),
            page_url(neighbour),
            page_url(elsewhere),
            page_url(feet),
        ],
    }


def cache_all(client, urls):
    for url in urls:
        client.get(url)
        assert outcome(client.get(url)) == "hit", url


def test_an_approved_comment_shows_at_once_where_it_belongs_and_nothing_else_is_rendered(
    client, cache_backend, site
):
    pages = site["showing"] + site["not_showing"]
    cache_all(client, pages)
    comment = CommentFactory(article=site["article"], text="Ice helped me.", status="pending")
    # A pending comment is on no page: everything stays cached.
    assert [outcome(client.get(url)) for url in pages] == ["hit"] * len(pages)

    comment.status = Comment.Status.APPROVED
    comment.save()

    article_page = client.get(site["showing"][0])
    assert outcome(article_page) == "miss"
    assert "Ice helped me." in article_page.content.decode()
    assert outcome(client.get(site["showing"][1])) == "miss"
    hub = client.get(site["showing"][2])
    assert outcome(hub) == "miss"
    assert "1 Comment" in hub.content.decode()
    assert [outcome(client.get(url)) for url in site["not_showing"]] == ["hit"] * 4


def test_removing_an_approved_comment_takes_it_off_its_pages_at_once(client, cache_backend, site):
    comment = CommentFactory(article=site["article"], text="Ice helped me.", status="approved")
    cache_all(client, site["showing"] + site["not_showing"])
    comment.delete()
    page = client.get(site["showing"][0])
    assert outcome(page) == "miss"
    assert "Ice helped me." not in page.content.decode()
    assert "No comments yet" in client.get(site["showing"][2]).content.decode()
    assert [outcome(client.get(url)) for url in site["not_showing"]] == ["hit"] * 4


def test_a_moderators_bulk_approval_refreshes_the_pages_of_those_comments_only(
    client, cache_backend, site
):
    CommentFactory.create_batch(3, article=site["article"], status="pending", text="Same here.")
    cache_all(client, site["showing"] + site["not_showing"])
    Comment.objects.pending().update(status=Comment.Status.APPROVED)
    hub = client.get(site["showing"][2])
    assert outcome(hub) == "miss"
    assert "3 Comments" in hub.content.decode()
    assert [outcome(client.get(url)) for url in site["not_showing"]] == ["hit"] * 4


def test_a_bulk_change_over_many_articles_refreshes_the_whole_site(client, site):
    articles = ArticleFactory.create_batch(
        MOST_ARTICLES_PER_CHANGE + 1, category=site["article"].category
    )
    for article in articles:
        CommentFactory(article=article, status="pending")
    cache_all(client, site["not_showing"])
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert [outcome(client.get(url)) for url in site["not_showing"]] == ["miss"] * 4


def test_an_edited_article_still_refreshes_every_page(client, cache_backend, site):
    pages = site["showing"] + site["not_showing"]
    cache_all(client, pages)
    site["article"].title = "Runner's knee, explained"
    site["article"].save()
    assert [outcome(client.get(url)) for url in pages] == ["miss"] * len(pages)


def test_the_kept_list_of_comments_changes_with_the_comments_alone(
    client, cache_backend, site, settings, django_assert_num_queries
):
    """With the page cache off, the rendered comments are a fragment under the
    article's page version: read once, and made again when a comment changes."""
    settings.PAGE_CACHE_ENABLED = False
    url = site["showing"][0]
    first = CommentFactory(article=site["article"], text="Ice helped me.")
    client.get(url)
    with django_assert_num_queries(1):  # the article; its comments come from the fragment
        assert "Ice helped me." in client.get(url).content.decode()
    CommentFactory(article=site["article"], text="Rest helped more.")
    page = client.get(url).content.decode()
    assert "Ice helped me." in page
    assert "Rest helped more." in page
    first.status = Comment.Status.SPAM
    first.save()
    assert "Ice helped me." not in client.get(url).content.decode()


def test_comments_closing_with_age_take_the_reply_links_off_the_kept_list(client, site, settings):
    """Comments close COMMENTS_CLOSE_AFTER_DAYS after publication with no save
    and no new version: whether they are open is part of the fragment's key."""
    settings.PAGE_CACHE_ENABLED = False
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0  # never closed
    url = site["showing"][0]
    CommentFactory(article=site["article"], text="Ice helped me.")
    assert 'rel="nofollow"' in client.get(url).content.decode()  # the Reply link
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    # Time passing: the article is now 31 days old (no save, no new version).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET published_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=31), site["article"].pk],
        )
    page = client.get(url).content.decode()
    assert "Ice helped me." in page
    assert "Comments are closed." in page
    assert 'rel="nofollow"' not in page
