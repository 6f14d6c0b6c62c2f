import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.factories import ArticleFactory, create_archive

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def titles(response):
    return [article.title for article in response.context["articles"]]


def test_search_finds_published_titles_excerpts_and_bodies(client):
    ArticleFactory(title="Runner's knee explained", body="<p>Kneecap pain.</p>")
    ArticleFactory(title="Shin splints", excerpt="Pain along the shin bone.", body="<p>Ow.</p>")
    ArticleFactory(title="Heel pain", body="<p>The plantar fascia under the heel.</p>")
    ArticleFactory(title="Unrelated", body="<p>Breathing through the nose.</p>")
    ArticleFactory(draft=True, title="Draft about the plantar fascia")
    ArticleFactory(scheduled=True, title="Future plantar fascia piece")
    assert titles(client.get(SEARCH, {"q": "knee"})) == ["Runner's knee explained"]
    assert titles(client.get(SEARCH, {"q": "shin bone"})) == ["Shin splints"]
    assert titles(client.get(SEARCH, {"q": "plantar fascia"})) == ["Heel pain"]


def test_search_does_not_match_the_markup_of_a_body(client):
    ArticleFactory(title="Plain", body='<p><strong>Bold</strong> <a href="/x/">link</a></p>')
    assert titles(client.get(SEARCH, {"q": "strong"})) == []
    assert titles(client.get(SEARCH, {"q": "href"})) == []


def test_results_show_in_the_site_layout_with_excerpts(client):
    ArticleFactory(title="Knee sleeve guide", excerpt="Which sleeve helps a sore knee.")
    response = client.get(SEARCH, {"q": "sleeve"})
    assertContains(response, "1 article found for “sleeve”")
    assertContains(response, "Which sleeve helps a sore knee.")
    assertContains(response, "Recent Articles")


def test_a_title_match_ranks_above_a_body_match_on_postgresql(client):
    from django.db import connection

    ArticleFactory(title="Recovery basics", body="<p>Rest days and ice for an ankle.</p>")
    ArticleFactory(title="Ankle sprains", body="<p>Rolling over on uneven ground.</p>")
    found = titles(client.get(SEARCH, {"q": "ankle"}))
    if connection.vendor == "postgresql":
        assert found == ["Ankle sprains", "Recovery basics"]
    else:
        assert sorted(found) == ["Ankle sprains", "Recovery basics"]


def test_results_are_paginated(client, settings, django_assert_max_num_queries):
    ArticleFactory.create_batch(23, body="<p>Hamstring strain and recovery.</p>")
    with django_assert_max_num_queries(6):
        first = client.get(SEARCH, {"q": "hamstring"})
    assert len(first.context["articles"]) == 10
    assertContains(first, "Page 1 of 3")
    assertContains(first, "?q=hamstring&amp;page=2")
    last = client.get(SEARCH, {"q": "hamstring", "page": "3"})
    assert len(last.context["articles"]) == 3
    assert client.get(SEARCH, {"q": "hamstring", "page": "99"}).status_code == 200
    assert client.get(SEARCH, {"q": "hamstring", "page": "abc"}).status_code == 200


def test_an_empty_query_gives_a_helpful_page(client):
    for params in [{}, {"q": ""}, {"q": "   "}]:
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        assertContains(response, "Type a few words")


def test_an_over_long_query_is_not_run_and_says_why_keeping_the_text(client, settings):
    text = "knee " * 30
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    assertContains(response, f"searches may be up to {settings.SEARCH_MAX_QUERY_LENGTH}")
    assertContains(response, f'value="{text.strip()}"')


def test_no_results_say_so(client):
    response = client.get(SEARCH, {"q": "xylophone"})
    assertContains(response, "No articles found for “xylophone”")
    assertNotContains(response, "search-results")


def test_search_text_is_escaped_on_the_page(client):
    response = client.get(SEARCH, {"q": "<script>alert(1)</script>"})
    assertNotContains(response, "<script>alert(1)")


def test_search_finds_an_article_by_its_new_title_after_an_edit(client):
    article = ArticleFactory(title="Calf strain", body="<p>Soleus and gastrocnemius.</p>")
    article.title = "Achilles tendinopathy"
    article.save()
    assert titles(client.get(SEARCH, {"q": "achilles"})) == ["Achilles tendinopathy"]
    assert titles(client.get(SEARCH, {"q": "calf"})) == []
    # An UPDATE that skips save() (a bulk edit, an import) is found too.
    Article.objects.filter(pk=article.pk).update(excerpt="Heel cord pain in runners.")
    assert titles(client.get(SEARCH, {"q": "heel cord"})) == ["Achilles tendinopathy"]


def test_a_search_of_a_large_archive_reads_the_full_text_index(client):
    """With thousands of articles a search finds the one match; on PostgreSQL
    its query can read the GIN index over the stored search document instead
    of parsing every body (SQLite has no full-text index here: LIKE it is).

    Rows inserted in one transaction wait in the index's pending list, which
    autovacuum merges on a live site; the test merges it at once."""
    create_archive(articles=3000)
    ArticleFactory(title="Piriformis syndrome", body="<p>A deep buttock ache.</p>")
    with CaptureQueriesContext(connection) as captured:
        assert titles(client.get(SEARCH, {"q": "piriformis"})) == ["Piriformis syndrome"]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SELECT gin_clean_pending_list('article_search_document_idx')")
    queries = [q["sql"] for q in captured.captured_queries if "search_document" in q["sql"]]
    assert queries
    for sql in queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "article_search_document_idx" in plan, plan
        assert "Seq Scan on articles_article" not in plan, plan


def test_a_word_found_in_very_many_articles_ranks_only_the_newest_matches(client, settings):
    settings.SEARCH_MAX_MATCHES = 5
    for number in range(8):
        ArticleFactory(title=f"Knee note {number}", body="<p>Knee care.</p>")
    response = client.get(SEARCH, {"q": "knee"})
    assertContains(response, "At least 5 articles match “knee”")
    assert sorted(titles(response)) == [f"Knee note {number}" for number in range(3, 8)]
    few = client.get(SEARCH, {"q": "knee note 2"})
    assertNotContains(few, "At least")
