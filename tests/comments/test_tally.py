"""Each article's count of approved comments (CommentTally, kept by database
triggers) stays right whatever changes a comment: readers see it on hub
pages and in the heading over an article's comments."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, CommentTally
from comments.moderation import change_status
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    settings.PAGE_CACHE_ENABLED = False


def shown_on_hub(client, article):
    """The count beside `article` on its hub page, as a reader reads it."""
    html = client.get(
        reverse("articles:page", kwargs={"slug": article.category.slug})
    ).content.decode()
    # The visible text, before the words only assistive technology reads.
    found = re.search(rf'href="/{article.slug}/#comments">([^<]+)<', html)
    return found.group(1)


def heading(client, article):
    html = client.get(reverse("articles:page", kwargs={"slug": article.slug})).content.decode()
    return re.search(r'<h2 id="comments-heading">([^<]+)</h2>', html).group(1)


def test_the_count_follows_every_kind_of_change(client):
    article = ArticleFactory(category=CategoryFactory())
    assert shown_on_hub(client, article) == "No comments yet"

    first = CommentFactory(article=article)
    CommentFactory(article=article, pending=True)
    assert shown_on_hub(client, article) == "1 Comment"

    # A moderator approves the pending one; then marks the first as spam.
    change_status(comments=Comment.objects.pending(), status=Comment.Status.APPROVED)
    assert shown_on_hub(client, article) == "2 Comments"
    assert heading(client, article) == "2 Comments"
    change_status(comments=Comment.objects.filter(pk=first.pk), status=Comment.Status.SPAM)
    assert shown_on_hub(client, article) == "1 Comment"

    # Saved one at a time, created in bulk, deleted: each counts.
    first.status = Comment.Status.APPROVED
    first.save()
    Comment.objects.bulk_create(
        [CommentFactory.build(article=article) for _ in range(3)]
        + [CommentFactory.build(article=article, pending=True)]
    )
    assert shown_on_hub(client, article) == "5 Comments"
    first.delete()
    Comment.objects.filter(article=article, status=Comment.Status.PENDING).delete()
    assert shown_on_hub(client, article) == "4 Comments"
    assert heading(client, article) == "4 Comments"


def test_a_comment_moved_to_another_article_moves_its_count(client):
    hub = CategoryFactory()
    one, other = ArticleFactory(category=hub), ArticleFactory(category=hub)
    comment = CommentFactory(article=one)
    CommentFactory(article=one)
    comment.article = other
    comment.save()
    assert (shown_on_hub(client, one), shown_on_hub(client, other)) == ("1 Comment", "1 Comment")


def test_deleting_a_comment_keeps_its_replies_counted(client):
    article = ArticleFactory(category=CategoryFactory())
    parent = CommentFactory(article=article)
    CommentFactory.create_batch(2, article=article, parent=parent)
    CommentFactory(article=article)
    assert shown_on_hub(client, article) == "4 Comments"
    parent.delete()
    assert shown_on_hub(client, article) == "3 Comments"


def test_listings_read_the_tally_instead_of_counting_the_comments():
    """A hub with thousands of comments per article must not count them."""
    article = ArticleFactory()
    CommentFactory.create_batch(30, article=article)
    with CaptureQueriesContext(connection) as captured:
        counted = Article.objects.with_comment_counts().get(pk=article.pk)
    assert counted.approved_comment_count == 30
    assert '"comments_comment"' not in captured.captured_queries[0]["sql"]


def test_recount_comments_corrects_a_tally_changed_behind_the_triggers(client):
    article = ArticleFactory(category=CategoryFactory())
    CommentFactory.create_batch(3, article=article)
    CommentTally.objects.filter(article=article).update(approved=7)
    assert shown_on_hub(client, article) == "7 Comments"
    out = io.StringIO()
    call_command("recount_comments", stdout=out)
    assert shown_on_hub(client, article) == "3 Comments"
    assert "1 article(s) corrected." in out.getvalue()


def test_posting_looks_up_a_known_address_through_an_index(post_comment):
    """Every post asks whether its address already has an approved comment
    (known commenters skip the queue). On PostgreSQL that question reads an
    index, so a post costs the same with a million comments stored."""
    article = ArticleFactory()
    CommentFactory(article=article, email="Ann@Example.com")
    with CaptureQueriesContext(connection) as captured:
        response = post_comment(article, email="ann@example.com")
    assert response.status_code == 302
    assert Comment.objects.get(email="ann@example.com").status == Comment.Status.APPROVED
    if connection.vendor != "postgresql":
        return
    lookups = [
        q["sql"]
        for q in captured.captured_queries
        if 'UPPER("comments_comment"."email"' in q["sql"]
    ]
    assert lookups
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be scanned
        for sql in lookups:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "comment_approved_email_idx" in plan, plan
