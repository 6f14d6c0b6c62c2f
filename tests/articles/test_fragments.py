"""Parts of the article page kept in the cache until content changes
(Django's {% cache %} on the content version, pagecache/context_processors.py),
with the whole-page cache off so every request renders the page around them."""

import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_around_fragments(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


def page_url(article):
    return reverse("articles:page", kwargs={"slug": article.slug})


def headlines(response):
    """Every "headline" in the page's structured data (JSON-LD)."""
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return re.findall(r'"headline": ?("[^"]*")', found.group(1))


def test_an_edit_shows_at_once_in_the_heading_the_sharing_tags_and_the_structured_data(client):
    article = ArticleFactory(title="Shin splints", body="<p>Old advice.</p>")
    first = client.get(page_url(article))
    assertContains(first, "<h1>Shin splints</h1>", html=True)

    article.title = "Medial tibial stress syndrome"
    article.body = "<p>New advice.</p>"
    article.save()
    again = client.get(page_url(article))
    assertContains(again, "<h1>Medial tibial stress syndrome</h1>", html=True)
    assertContains(again, '<meta property="og:title" content="Medial tibial stress syndrome">')
    assertContains(again, "New advice.")
    assertNotContains(again, "Old advice.")
    assert [json.loads(text) for text in headlines(again)] == ["Medial tibial stress syndrome"]


def test_sharing_tags_name_the_address_each_reader_came_in_on(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    article = ArticleFactory(slug="heel-pain")
    for host in ("one.example", "two.example", "one.example"):
        response = client.get(page_url(article), HTTP_HOST=host)
        assertContains(response, f'<meta property="og:url" content="http://{host}/heel-pain/">')


def test_a_staff_preview_never_shows_its_banner_to_readers_once_published(client):
    article = ArticleFactory(draft=True, title="Hamstring strain")
    client.force_login(UserFactory(editor=True))
    assertContains(client.get(page_url(article)), "this article is not public")
    client.logout()

    article.status = article.Status.PUBLISHED
    article.save()
    response = client.get(page_url(article))
    assertContains(response, "<h1>Hamstring strain</h1>", html=True)
    assertNotContains(response, "this article is not public")
    assertNotContains(response, "noindex")
