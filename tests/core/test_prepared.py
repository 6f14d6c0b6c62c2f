"""The article page's lookup is compiled once (core.prepared): it must give
the page exactly what the plain queryset gives, on both databases."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from articles.models import Article, Reference
from articles.views import PUBLIC_ARTICLE_PAGE, public_article_pages
from core.prepared import PreparedGet
from tests.factories import (
    ArticleFactory,
    BodyRegionFactory,
    CommentFactory,
    ReviewerFactory,
    SymptomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def plain(slug):
    return public_article_pages(Article.objects.published()).get(slug=slug)


def reviewed_article_with_everything():
    knee = BodyRegionFactory(name="Knee", slug="knee")
    article = ArticleFactory(
        title="Runner's knee",
        author=UserFactory(first_name="Ana", last_name="Writer"),
        reviewer=ReviewerFactory(name="Dr Lee"),
        reviewed_on=timezone.localdate(),
    )
    article.regions.add(knee)
    article.symptoms.add(SymptomFactory(region=knee, name="Pain behind the kneecap"))
    Reference.objects.create(article=article, number=1, citation="A study of knees.")
    CommentFactory(article=article)
    return article


def test_the_prepared_lookup_gives_what_the_queryset_gives():
    article = reviewed_article_with_everything()
    expected, got = plain(article.slug), PUBLIC_ARTICLE_PAGE.get(article.slug)

    for field in Article._meta.concrete_fields:
        if field.attname in expected.get_deferred_fields():
            assert field.attname in got.get_deferred_fields()
        else:
            assert getattr(got, field.attname) == getattr(expected, field.attname), field.name
    for related in ("category", "author", "reviewer"):
        assert Article._meta.get_field(related).is_cached(got), related
        assert getattr(got, related) == getattr(expected, related)
        assert getattr(got, related).__dict__.keys() >= {"id"}
    assert got.category.title == expected.category.title
    assert got.reviewer.name == "Dr Lee"
    assert got.author.get_full_name() == "Ana Writer"
    assert got.approved_comment_count == expected.approved_comment_count == 1
    assert (
        got.region_list
        == expected.region_list
        == [{"slug": "knee", "name": "Knee", "position": expected.region_list[0]["position"]}]
    )
    assert got.symptom_list == expected.symptom_list
    assert got.symptom_list[0]["name"] == "Pain behind the kneecap"
    assert got.has_references is expected.has_references is True
    assert got._state.db == "default"
    assert not got._state.adding


def test_it_runs_one_query_and_finds_nothing_where_the_queryset_finds_nothing(
    django_assert_num_queries,
):
    article = reviewed_article_with_everything()
    PUBLIC_ARTICLE_PAGE.get(article.slug)  # compiled
    with django_assert_num_queries(1):
        found = PUBLIC_ARTICLE_PAGE.get(article.slug)
    with django_assert_num_queries(0):
        assert found.region_list
        assert found.reviewer.name
        assert found.category.title
    assert PUBLIC_ARTICLE_PAGE.get("no-such-article") is None
    ArticleFactory(slug="a-draft", status=Article.Status.DRAFT)
    assert PUBLIC_ARTICLE_PAGE.get("a-draft") is None
    # A slug is a value, never SQL.
    assert PUBLIC_ARTICLE_PAGE.get("x' OR '1'='1") is None


def test_a_scheduled_article_is_found_but_its_page_is_not_public(client):
    """The statement leaves the publish time to the view, which answers 404."""
    article = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    assert PUBLIC_ARTICLE_PAGE.get(article.slug).is_scheduled
    assert client.get(article.get_absolute_url()).status_code == 404
    article.published_at = timezone.now() - timedelta(minutes=1)
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_each_thread_compiles_its_own_statement_on_its_own_connection():
    """granian runs several threads per worker, each with its own connection.
    Committed rows (no test transaction holding SQLite's write lock), so the
    other thread reads the article as another request would."""
    article = ArticleFactory()
    assert PUBLIC_ARTICLE_PAGE.get(article.slug) is not None
    mine = PUBLIC_ARTICLE_PAGE._local.default["connection"]
    theirs, found_by_them = [], []

    def look():
        try:
            found_by_them.append(PUBLIC_ARTICLE_PAGE.get(article.slug) is not None)
            theirs.append(PUBLIC_ARTICLE_PAGE._local.default["connection"])
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert found_by_them == [True]
    assert mine is connections["default"]
    assert theirs
    assert theirs[0] is not mine
    assert PUBLIC_ARTICLE_PAGE._local.default["connection"] is mine


def test_a_query_whose_value_does_not_appear_once_is_refused():
    twice = PreparedGet(Article, lambda slug: Article.objects.filter(slug=slug, title=slug))
    with pytest.raises(ValueError, match="once"):
        twice.get("x")
