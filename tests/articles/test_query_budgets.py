"""Each public page costs a fixed number of queries, whatever the archive's
size, and every query it runs is answered through an index.

Budgets (page cache and fragment cache off, so the page is really rendered):
- article page: 4 (the article with its category and comment tally; a page
  of its approved comments; the site frame's categories and Recent
  Articles, see articles/frame.py), with or without a table of contents
  (stored with the article, articles/rendering.py)
- hub page: 4 (the category, one page of its articles, the site frame's 2)
- home page: 4 (categories with each one's cut-off time, their newest
  articles, the site frame's 2)
With the fragment cache on (the default), the site frame's 2 cost nothing,
and neither does the page of comments, kept under the article's own page
version: a rendered article page runs 1 query, a hub or the home page 2. An article that
carries affiliate links or banners adds one query for them, made once per
content change with the fragment cache on.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, create_archive

pytestmark = pytest.mark.django_db

BUDGETS = {"article": 4, "hub": 4, "home": 4}


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


def main_content(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def public_pages(hubs):
    """The three kinds of public page, with the newest article (the one that
    will carry the comments once they join the archive)."""
    newest = Article.objects.published().first()
    return {"article": page_url(newest), "hub": page_url(hubs[0]), "home": reverse("articles:home")}


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    """The worst case: no whole page, and no shared fragment, from the cache."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False


@pytest.mark.parametrize("comments", [0, 10, 500])
@pytest.mark.parametrize("articles", [15, 5000])
def test_public_pages_cost_a_fixed_number_of_queries_whatever_the_archive_size(
    client, django_assert_max_num_queries, articles, comments
):
    hubs = create_archive(articles=articles, comments=comments)
    for name, url in public_pages(hubs).items():
        with django_assert_max_num_queries(BUDGETS[name]):
            response = client.get(url)
        assert response.status_code == 200, name


def test_an_article_with_a_table_of_contents_costs_no_extra_query(
    client, django_assert_max_num_queries
):
    """The contents were stored when the article was saved: the page does
    not load the body column, which it otherwise leaves in the database."""
    hub = create_archive(articles=15)[0]
    article = ArticleFactory(
        category=hub, toc_enabled=True, body="<p>Intro.</p><h2>Causes</h2><p>Tight quads.</p>"
    )
    with django_assert_max_num_queries(BUDGETS["article"]):
        response = client.get(page_url(article))
    assertContains(response, '<a href="#causes">Causes</a>', html=True)


@pytest.mark.parametrize(("page", "budget"), [("article", 2), ("hub", 2), ("home", 2)])
def test_with_the_site_frame_cached_a_rendered_page_costs_two_queries(
    client, settings, django_assert_max_num_queries, page, budget
):
    settings.FRAGMENT_CACHE_ENABLED = True
    url = public_pages(create_archive(articles=15))[page]
    client.get(url)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("articles", [15, 5000])
def test_the_article_change_list_costs_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, articles
):
    create_archive(articles=articles)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200


def test_a_hub_shows_its_newest_articles_first_a_page_at_a_time(client, settings):
    settings.HUB_PAGE_SIZE = 2
    hub = create_archive(articles=5, categories=1)[0]
    titles = list(Article.objects.order_by("-published_at").values_list("title", flat=True))

    def shown(response):
        return re.findall(
            r'class="summary-title"><a href="[^"]+">([^<]+)</a>', main_content(response)
        )

    first = client.get(page_url(hub))
    assert shown(first) == titles[:2]
    assertContains(first, '<a rel="next" href="?page=2">Older articles</a>', html=True)
    assertNotContains(first, "Newer articles")

    last = client.get(page_url(hub), {"page": 3})
    assert shown(last) == titles[4:]
    assertContains(last, '<a rel="prev" href="?page=2">Newer articles</a>', html=True)
    assertNotContains(last, "Older articles")

    second = client.get(page_url(hub), {"page": 2})
    assert shown(second) == titles[2:4]
    assertContains(second, f'<a rel="prev" href="{page_url(hub)}">Newer articles</a>', html=True)


@pytest.mark.parametrize("page", ["4", "0", "two", "-1"])
def test_a_hub_page_that_does_not_exist_answers_404(client, settings, page):
    settings.HUB_PAGE_SIZE = 2
    hub = create_archive(articles=5, categories=1)[0]
    assert client.get(page_url(hub), {"page": page}).status_code == 404


def test_a_hub_without_articles_still_shows_its_first_page(client):
    hub = CategoryFactory()
    assertContains(client.get(page_url(hub)), "No articles in this category yet.")


def test_the_home_page_lists_each_categorys_newest_articles_and_links_to_the_rest(client, settings):
    settings.HOME_ARTICLES_PER_CATEGORY = 3
    big, small = create_archive(articles=8, categories=2)
    ArticleFactory(category=small, title="Not yet", scheduled=True)
    ArticleFactory(category=small, title="Unfinished", draft=True)
    main = main_content(client.get(reverse("articles:home")))
    for hub in (big, small):
        newest = hub.articles.published().order_by("-published_at")
        shown = [t for t in newest.values_list("title", flat=True) if f">{t}</a>" in main]
        assert shown == list(newest.values_list("title", flat=True)[:3])
    assert f"All articles in {big.title}" in main
    assert "Not yet" not in main
    assert "Unfinished" not in main


def test_the_home_page_says_so_when_a_category_has_no_article(client):
    CategoryFactory(title="Hip pain")
    ArticleFactory(title="Only a draft", draft=True)
    response = client.get(reverse("articles:home"))
    assertContains(response, "No articles here yet.", count=2)
    assertNotContains(response, "All articles in")


# A full scan of the articles table, in each database's words.
FULL_SCAN = {
    "postgresql": re.compile(r"Seq Scan on articles_article\b"),
    "sqlite": re.compile(r"\bSCAN articles_article\b(?! USING)"),
}
EXPLAIN = {"postgresql": "EXPLAIN ", "sqlite": "EXPLAIN QUERY PLAN "}


def test_every_query_of_the_public_pages_reads_the_articles_through_an_index(client):
    """With 5,000 articles and fresh statistics, no public query scans the
    whole articles table (PostgreSQL: no Seq Scan; SQLite: no plain SCAN),
    including the page cache's next-publish-time question."""
    hubs = create_archive(articles=5000)
    ArticleFactory(category=hubs[1], scheduled=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        for url in public_pages(hubs).values():
            assert client.get(url).status_code == 200
        Article.objects.next_publish_time()
    queries = [q["sql"] for q in captured.captured_queries if "articles_article" in q["sql"]]
    assert len(queries) >= 7

    vendor = connection.vendor
    for sql in queries:
        with connection.cursor() as cursor:
            cursor.execute(EXPLAIN[vendor] + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert not FULL_SCAN[vendor].search(plan), f"{sql}\n{plan}"
