from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.threads import build_threads
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_approved_and_pending_hold_exactly_the_comments_of_their_status():
    article = ArticleFactory()
    for status in Comment.Status.values:
        CommentFactory(article=article, status=status, name=status)

    assert set(Comment.objects.approved().values_list("name", flat=True)) == {"approved"}
    assert set(Comment.objects.pending().values_list("name", flat=True)) == {"pending"}
    for comment in Comment.objects.all():
        assert comment.is_approved == (comment.name == "approved")
        assert comment.is_pending == (comment.name == "pending")


@pytest.mark.parametrize("close_after_days", [0, 30])
def test_articles_are_open_for_comments_unless_closed_by_their_flag_or_by_age(
    settings, close_after_days
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = close_after_days
    now = timezone.now()
    cases = {
        "open-new": dict(comments_enabled=True, published_at=now - timedelta(days=5)),
        "open-old": dict(comments_enabled=True, published_at=now - timedelta(days=40)),
        "closed-new": dict(comments_enabled=False, published_at=now - timedelta(days=5)),
        "closed-old": dict(comments_enabled=False, published_at=now - timedelta(days=40)),
    }
    for slug, fields in cases.items():
        ArticleFactory(slug=slug, **fields)

    expected = {"open-new", "open-old"} if close_after_days == 0 else {"open-new"}
    assert set(Article.objects.open_for_comments().values_list("slug", flat=True)) == expected
    for article in Article.objects.all():
        assert article.is_open_for_comments == (article.slug in expected)


def test_comment_counts_per_article_count_only_approved_comments():
    quiet, busy = ArticleFactory(slug="quiet"), ArticleFactory(slug="busy")
    CommentFactory.create_batch(3, article=busy)
    for status in ("pending", "spam", "removed"):
        CommentFactory(article=busy, status=status)
        CommentFactory(article=quiet, status=status)

    counts = dict(
        Article.objects.with_comment_counts().values_list("slug", "approved_comment_count")
    )
    assert counts == {"quiet": 0, "busy": 3}


def test_a_comment_links_to_its_place_on_the_article():
    comment = CommentFactory(article=ArticleFactory(slug="runners-knee"))
    assert comment.page_url() == f"/runners-knee/#comment-{comment.pk}"
    assert comment.get_absolute_url() == f"/comments/{comment.pk}/"


def shape(nodes):
    return [
        (
            node.comment.name,
            node.depth,
            node.replying_to and node.replying_to.name,
            shape(node.replies),
        )
        for node in nodes
    ]


def test_replies_nest_three_levels_deep_and_deeper_replies_sit_at_the_third_level():
    article = ArticleFactory()
    start = timezone.now() - timedelta(hours=1)
    parent = None
    for offset, name in enumerate(["a", "b", "c", "d", "e"]):
        parent = CommentFactory(
            article=article, name=name, parent=parent, created_at=start + timedelta(minutes=offset)
        )
    CommentFactory(article=article, name="f", created_at=start + timedelta(minutes=9))

    threads = build_threads(Comment.objects.approved().for_display())

    assert shape(threads) == [
        (
            "a",
            1,
            None,
            [("b", 2, None, [("c", 3, None, []), ("d", 3, "c", []), ("e", 3, "d", [])])],
        ),
        ("f", 1, None, []),
    ]


def test_a_reply_whose_parent_is_not_shown_starts_a_thread_of_its_own():
    article = ArticleFactory()
    removed = CommentFactory(article=article, name="removed", removed=True)
    CommentFactory(article=article, name="orphan", parent=removed)

    threads = build_threads(Comment.objects.approved().for_display())

    assert shape(threads) == [("orphan", 1, None, [])]
