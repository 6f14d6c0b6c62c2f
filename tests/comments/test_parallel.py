"""Posting from many connections at once.

On PostgreSQL the posts really run in parallel, each thread with its own
database connection. SQLite allows one writer at a time, so there the same
posts run one after another: the test checks the same outcome either way and
is never skipped.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.tokens import make_form_token
from tests.factories import ArticleFactory

POSTS = 20


def run_posts(article, make_data):
    """Post `POSTS` forms; returns [(status code, database session id)]."""
    parallel = connection.vendor == "postgresql"
    barrier = threading.Barrier(POSTS) if parallel else None
    url = reverse("comments:post", args=[article.pk])
    token = make_form_token(article, rendered_at=time.time() - 60)

    def post(number):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()" if parallel else "SELECT 0")
                session = cursor.fetchone()[0]
            if barrier:
                barrier.wait(timeout=30)
            response = Client().post(
                url,
                {**make_data(number), "token": token},
                HTTP_ORIGIN="http://testserver",
                REMOTE_ADDR=f"198.51.100.{number + 1}",
            )
            return response.status_code, session
        finally:
            if parallel:
                connections.close_all()  # this thread's own connections

    if not parallel:
        return [post(number) for number in range(POSTS)]
    with ThreadPoolExecutor(max_workers=POSTS) as pool:
        return list(pool.map(post, range(POSTS)))


@pytest.mark.django_db(transaction=True)
def test_twenty_comments_posted_from_parallel_connections_are_all_stored():
    article = ArticleFactory()

    results = run_posts(
        article,
        lambda n: {"name": f"Runner {n}", "email": f"runner{n}@example.com", "text": f"Post {n}"},
    )

    assert [code for code, _ in results] == [302] * POSTS
    if connection.vendor == "postgresql":
        assert len({session for _, session in results}) == POSTS
    assert Comment.objects.filter(article=article).count() == POSTS
    assert set(Comment.objects.values_list("text", flat=True)) == {
        f"Post {n}" for n in range(POSTS)
    }


@pytest.mark.django_db(transaction=True)
def test_the_same_comment_posted_from_parallel_connections_is_stored_once():
    article = ArticleFactory()

    results = run_posts(
        article, lambda n: {"name": "Ann", "email": "ann@example.com", "text": "Double click!"}
    )

    codes = sorted(code for code, _ in results)
    assert codes == [302] + [400] * (POSTS - 1)
    assert Comment.objects.filter(article=article).count() == 1
