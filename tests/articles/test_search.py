import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from core.markup import html_to_text
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


def test_a_title_match_ranks_above_an_excerpt_match_above_a_body_match(client):
    """Whatever their age: the body-only match is the newest and says the word
    most often, and still comes last."""
    now = timezone.now()
    ArticleFactory(
        title="Recovery basics",
        body="<p>Ankle, ankle, ankle: rest days and ice for an ankle.</p>",
        published_at=now - timedelta(days=1),
    )
    ArticleFactory(
        title="Uneven ground",
        excerpt="Why an ankle rolls on trails.",
        body="<p>Roots and rocks.</p>",
        published_at=now - timedelta(days=20),
    )
    ArticleFactory(
        title="Ankle sprains",
        body="<p>Rolling over on a kerb.</p>",
        published_at=now - timedelta(days=300),
    )
    assert titles(client.get(SEARCH, {"q": "ankle"})) == [
        "Ankle sprains",
        "Uneven ground",
        "Recovery basics",
    ]


def test_searching_the_demo_for_knee_lists_runners_knee_first():
    """The demo site, as a new reader finds it: the article about the knee
    leads, not the newest one that mentions a knee, singular or plural."""
    call_command("load_demo", stdout=io.StringIO())
    reader = Client()
    for query in ["knee", "knees", "Runner's knee", "runners knee", "KNEE"]:
        found = titles(reader.get(SEARCH, {"q": query}))
        assert found[0] == "What is Runner's Knee?", (query, found)
    assert len(titles(reader.get(SEARCH, {"q": "knee"}))) > 1


def test_singular_and_plural_words_find_each_other(client):
    ArticleFactory(title="Sore knees after long runs", body="<p>Downhills.</p>")
    ArticleFactory(title="One knee aches", body="<p>On the stairs.</p>")
    ArticleFactory(title="Blisters", body="<p>Socks and shoes.</p>")
    assert sorted(titles(client.get(SEARCH, {"q": "knee"}))) == [
        "One knee aches",
        "Sore knees after long runs",
    ]
    assert sorted(titles(client.get(SEARCH, {"q": "knees"}))) == [
        "One knee aches",
        "Sore knees after long runs",
    ]
    assert titles(client.get(SEARCH, {"q": "sock"})) == ["Blisters"]


# What full-text query languages read as syntax (FTS5: quotes, *, AND/OR/NOT,
# NEAR(), column filters, ^, +, -, parentheses; PostgreSQL's websearch: quotes,
# "or", -) and what SQL does.
HOSTILE_QUERIES = [
    '"',
    '"knee',
    '""',
    "*",
    "knee*",
    "*knee",
    "AND",
    "knee AND",
    "OR knee OR",
    "NOT",
    "knee NOT",
    "NEAR(",
    "NEAR(knee pain, 2)",
    "-",
    "-knee",
    "knee -",
    ":",
    "title:knee",
    "{title excerpt}:knee",
    "^knee",
    "+",
    "knee + pain",
    "(",
    ")",
    "(knee",
    "knee)",
    "'",
    "\\",
    "%",
    "_",
    'knee"pain',
    "'; DROP TABLE articles_article; --",
    '" OR 1=1 --',
    "!!!",
    "&|!<>",
    "knee & | ! :*",
    "😀 knee",
    "ß Ω 膝",
]


def test_a_question_in_plain_words_finds_articles_without_its_common_words(client):
    ArticleFactory(title="Pain outside the knee", body="<p>Often the iliotibial band.</p>")
    ArticleFactory(title="Heel pain", body="<p>Worst in the morning.</p>")
    assert titles(client.get(SEARCH, {"q": "pain in my knee"})) == ["Pain outside the knee"]
    assert titles(client.get(SEARCH, {"q": "the"})) == []


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_syntax_in_a_query_is_read_as_words_and_never_fails(client, query):
    ArticleFactory(title="Knee pain", body="<p>Knee pain on the stairs.</p>")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assertContains(response, "found for")
    # The query is read as the words in it, not as instructions.
    assert set(titles(response)) <= {"Knee pain"}
    assert Article.objects.count() == 1


@pytest.mark.parametrize("query", ['"knee"', "knee*", "(knee)", "knee!", "+knee"])
def test_a_word_wrapped_in_search_syntax_is_still_found(client, query):
    ArticleFactory(title="Knee pain", body="<p>Knee pain on the stairs.</p>")
    assert titles(client.get(SEARCH, {"q": query})) == ["Knee pain"]


def test_result_titles_are_headings_under_the_page_heading(client):
    ArticleFactory(title="Knee sleeve guide")
    html = client.get(SEARCH, {"q": "sleeve"}).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert re.findall(r"<h(\d)\b", main) == ["1", "2"]
    assert re.search(r'<h2 class="summary-title"><a href="[^"]+">Knee sleeve guide</a></h2>', main)


def test_the_header_and_page_search_forms_are_landmarks_with_different_names(client):
    html = client.get(SEARCH, {"q": "knee"}).content.decode()
    forms = re.findall(r"<form\b[^>]*>", html)
    names = [
        re.search(r'aria-label="([^"]+)"', form).group(1)
        for form in forms
        if 'role="search"' in form
    ]
    assert len(names) == 2
    assert len(set(names)) == 2, names


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


def test_the_index_stays_in_step_with_every_kind_of_write(client):
    """save(), bulk_create, a queryset update and both kinds of delete; on
    SQLite FTS5 also checks its index against the rows, word for word."""
    article = ArticleFactory(title="Calf strain", body="<p>Soleus.</p>")
    batch = [ArticleFactory.build(title=f"Hip drop {n}", category=article.category) for n in (1, 2)]
    for built in batch:
        built.fill_derived_fields()
    Article.objects.bulk_create(batch)
    assert sorted(titles(client.get(SEARCH, {"q": "hips"}))) == ["Hip drop 1", "Hip drop 2"]
    Article.objects.filter(title="Hip drop 1").update(title="Glute bridge", body_text="Bridges.")
    assert titles(client.get(SEARCH, {"q": "hip"})) == ["Hip drop 2"]
    assert titles(client.get(SEARCH, {"q": "bridge"})) == ["Glute bridge"]
    Article.objects.filter(title="Glute bridge").delete()
    article.delete()
    assert titles(client.get(SEARCH, {"q": "bridge"})) == []
    assert titles(client.get(SEARCH, {"q": "hip"})) == ["Hip drop 2"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Raises "database disk image is malformed" when the two disagree.
            cursor.execute(
                "INSERT INTO articles_article_fts(articles_article_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )


def written_at(migration, *, title, body_html):
    """A published article inserted while the database stood at `migration`,
    through the model as it was then (today's has columns it lacked)."""
    call_command("migrate", "articles", migration, verbosity=0)
    state = MigrationExecutor(connection).loader.project_state(("articles", migration))
    old_article = state.apps.get_model("articles", "Article")
    category = state.apps.get_model("articles", "Category").objects.create(
        title="Knees", slug="knees"
    )
    old_article.objects.create(
        title=title,
        slug=slugify(title),
        category=category,
        body=body_html,
        body_html=body_html,
        body_text=html_to_text(body_html),
        status="published",
        published_at=timezone.now() - timedelta(hours=1),
    )


@pytest.mark.django_db(transaction=True)
def test_articles_written_before_the_search_index_existed_are_found(client):
    try:
        written_at(
            "0007_newest_index", title="Knee sleeves compared", body_html="<p>Compression.</p>"
        )
    finally:
        call_command("migrate", verbosity=0)  # every app: later ones depend on articles
    assert titles(client.get(SEARCH, {"q": "knee sleeve"})) == ["Knee sleeves compared"]


@pytest.mark.django_db(transaction=True)
def test_after_the_migration_that_stores_the_table_of_contents_saves_still_reach_the_index(
    client,
):
    """That migration rebuilds articles_article on SQLite (which drops the
    index's triggers) and fills the new columns from each stored body."""
    body = '<p>Intro.</p><h2 id="causes">Causes</h2><p>See <a href="/go/strap/">a strap</a>.</p>'
    try:
        written_at("0009_affiliate_models_move_to_affiliates", title="Patella", body_html=body)
    finally:
        call_command("migrate", verbosity=0)  # every app: later ones depend on articles
    article = Article.objects.get(title="Patella")
    assert [(h.level, h.id, h.text) for h in article.table_of_contents()] == [
        (2, "causes", "Causes")
    ]
    assert [link[0] for link in article.links] == ["/go/strap/"]
    assert article.intro_end == body.index("<h2")

    article.title = "Patellar tendinopathy"
    article.save()
    ArticleFactory(title="Jumper's knee", category=article.category)
    assert titles(client.get(SEARCH, {"q": "patellar"})) == ["Patellar tendinopathy"]
    assert titles(client.get(SEARCH, {"q": "jumper"})) == ["Jumper's knee"]
    assert titles(client.get(SEARCH, {"q": "patella"})) == []  # the old title left the index


# What each database's plan says when a search reads its full-text index, and
# when it reads every article instead.
FULL_TEXT_INDEX = {"postgresql": "article_search_document_idx", "sqlite": "articles_article_fts"}
FULL_SCAN = {
    "postgresql": re.compile(r"Seq Scan on articles_article\b"),
    "sqlite": re.compile(r"\bSCAN (articles_article|U\d)\b(?! USING)"),
}
EXPLAIN = {"postgresql": "EXPLAIN ", "sqlite": "EXPLAIN QUERY PLAN "}


def test_a_search_of_a_large_archive_reads_the_full_text_index(client):
    """With thousands of articles a search finds the one match, and its
    queries read the full-text index (PostgreSQL's GIN index over the stored
    search document, SQLite's FTS5 table) instead of parsing every body.

    Rows inserted in one transaction wait in the GIN index's pending list,
    which autovacuum merges on a live site; the test merges it at once."""
    create_archive(articles=3000)
    ArticleFactory(title="Piriformis syndrome", body="<p>A deep buttock ache.</p>")
    with CaptureQueriesContext(connection) as captured:
        assert titles(client.get(SEARCH, {"q": "piriformis"})) == ["Piriformis syndrome"]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        if vendor == "postgresql":
            cursor.execute("SELECT gin_clean_pending_list('article_search_document_idx')")
    queries = [q["sql"] for q in captured.captured_queries if "piriformis" in q["sql"]]
    assert len(queries) == 2  # the count and the page
    for sql in queries:
        with connection.cursor() as cursor:
            cursor.execute(EXPLAIN[vendor] + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert FULL_TEXT_INDEX[vendor] in plan, plan
        assert not FULL_SCAN[vendor].search(plan), plan


def test_a_word_found_in_very_many_articles_ranks_only_the_newest_matches(client, settings):
    settings.SEARCH_MAX_MATCHES = 5
    for number in range(8):
        ArticleFactory(title=f"Knee note {number}", body="<p>Knee care.</p>")
    response = client.get(SEARCH, {"q": "knee"})
    assertContains(response, "At least 5 articles match “knee”")
    assert sorted(titles(response)) == [f"Knee note {number}" for number in range(3, 8)]
    few = client.get(SEARCH, {"q": "knee note 2"})
    assertNotContains(few, "At least")
