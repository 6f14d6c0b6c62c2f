"""A hub's list of articles and the home page's lists per category are kept
as fragments (articles.views: CategoryDetailView.article_listing under the
site's version and the hub's own, HomeView under the site's), with the page
cache off so each request renders the page around them: what they show
changes at once, page by page, and a draft's preview never uses them."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.articles.drafting import admin_url, category_editor, category_form, signed_in
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_around_fragments(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.HUB_PAGE_SIZE = 2


def hub_url(category, page=None):
    url = reverse("articles:page", kwargs={"slug": category.slug})
    return f"{url}?page={page}" if page else url


def test_a_rendered_hub_reads_only_its_category_once_the_list_is_kept(
    client, django_assert_max_num_queries
):
    category = CategoryFactory()
    ArticleFactory(category=category, title="Heel pain")
    client.get(hub_url(category))
    with django_assert_max_num_queries(1):
        assertContains(client.get(hub_url(category)), "Heel pain")


def test_an_approved_comment_counts_on_the_hub_at_once(client):
    category = CategoryFactory()
    article = ArticleFactory(category=category, title="Heel pain")
    assertContains(client.get(hub_url(category)), "No comments yet")
    CommentFactory(article=article)
    page = client.get(hub_url(category))
    assertContains(page, "1 Comment")
    assertNotContains(page, "No comments yet")


def test_a_new_article_and_a_new_title_show_at_once_on_the_hub_and_the_home_page(client):
    category = CategoryFactory(title="Foot")
    article = ArticleFactory(category=category, title="Heel pain")
    assertContains(client.get(hub_url(category)), "Heel pain")
    assertContains(client.get("/"), "Heel pain")

    ArticleFactory(category=category, title="Turf toe")
    article.title = "Plantar fasciitis"
    article.save()
    for page in (client.get(hub_url(category)), client.get("/")):
        assertContains(page, "Turf toe")
        assertContains(page, "Plantar fasciitis")
        assertNotContains(page, "Heel pain")


def hub_listing(response):
    """The hub's own list (not Recent Articles in the sidebar)."""
    page = response.content.decode()
    return page.split('aria-labelledby="hub-articles-heading"', 1)[1].split("</section>", 1)[0]


def test_each_page_of_a_hub_is_kept_apart_and_a_page_past_the_end_is_404(client):
    category = CategoryFactory()
    for number in range(3):
        ArticleFactory(category=category, title=f"Injury number {number}")
    first = hub_listing(client.get(hub_url(category)))
    second = hub_listing(client.get(hub_url(category, 2)))
    assert "Injury number 2" in first
    assert "Injury number 0" not in first
    assert "Injury number 0" in second
    assert "Injury number 2" not in second
    assert client.get(hub_url(category, 3)).status_code == 404
    assert client.get(hub_url(category, 3)).status_code == 404
    assert hub_listing(client.get(hub_url(category))) == first


def test_a_draft_title_shows_in_the_previews_pager_but_never_to_readers():
    category = CategoryFactory(title="Knee pain", slug="knee-pain")
    for number in range(3):
        ArticleFactory(category=category, title=f"Knee article {number}")
    reader = Client()
    assertContains(reader.get(hub_url(category)), "More articles in Knee pain")
    editor = signed_in(category_editor())
    editor.post(admin_url(category, "change"), category_form(category, title="Knee trouble"))
    preview = editor.get(admin_url(category, "draft_preview"))
    assertContains(preview, "More articles in Knee trouble")
    page = reader.get(hub_url(category))
    assertContains(page, "More articles in Knee pain")
    assertNotContains(page, "Knee trouble")
