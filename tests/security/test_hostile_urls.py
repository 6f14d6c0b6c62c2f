"""Every hostile string in every URL parameter and path the public site reads."""

import unicodedata

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from affiliates.models import AffiliateClick
from articles.models import Article
from tests.factories import AffiliateLinkFactory, ArticleFactory, CommentFactory
from tests.security.hostile import ALL, IDS, received, wire
from tests.security.pages import find, squash
from tests.security.reader import page_tree, path_segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def knee_articles():
    """An article and more matches for "knee" than one page of search results
    holds, so ?page= is read. The extra ones are made in one query: only their
    titles and dates matter to a search."""
    article = ArticleFactory(slug="runners-knee", title="Runner's knee")
    Article.objects.bulk_create(
        ArticleFactory.build(title="Knee pain", category=article.category) for _ in range(11)
    )
    return article


@pytest.fixture
def links():
    AffiliateLinkFactory(slug="knee-sleeve")
    AffiliateLinkFactory(slug="offer-ended", inactive=True)
    AffiliateLinkFactory(slug="direct-link", direct=True)


def assert_search_shows(response, hostile):
    """The search box holds the query as typed, less any control characters
    (nobody types them; PostgreSQL would refuse a NUL)."""
    typed = "".join(c for c in received(hostile) if c.isspace() or unicodedata.category(c) != "Cc")
    box = find(page_tree(response), id="search-q")
    assert box.attrs["value"] == squash(typed)


@pytest.mark.parametrize("hostile", ALL, ids=IDS)
def test_a_hostile_search_query_or_page_number_is_shown_as_text(reader, knee_articles, hostile):
    search = reverse("articles:search")

    assert_search_shows(reader.get(search, {"q": hostile}), hostile)
    response = reader.get(search, {"q": "knee", "page": hostile})
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.parametrize("hostile", ALL, ids=IDS)
def test_a_hostile_from_parameter_never_changes_where_an_affiliate_link_goes(
    reader, links, hostile
):
    go = reverse("affiliates:go", kwargs={"slug": "knee-sleeve"})
    agent = {"HTTP_USER_AGENT": "Mozilla/5.0"}

    response = reader.get(go, {"from": hostile}, **agent)
    assert response.status_code == 302
    assert response["Location"].startswith("https://www.amazon.com/")
    ended = reverse("affiliates:go", kwargs={"slug": "offer-ended"})
    assert reader.get(ended, {"from": hostile}).status_code == 410
    ping = reverse("affiliates:go_ping", kwargs={"slug": "direct-link"})
    assert reader.post(ping, {}, {"from": hostile}, **agent).status_code == 204
    assert AffiliateClick.objects.filter(from_article=None).count() == 2
    # The browser's name and prefetch headers are read too (handed over as Latin-1).
    header = wire(hostile).decode("latin-1")
    assert reader.get(go, HTTP_USER_AGENT=header, HTTP_SEC_PURPOSE=header).status_code == 302


@pytest.mark.parametrize("hostile", ALL, ids=IDS)
def test_hostile_addresses_tokens_and_sitemap_pages_are_not_found_or_redirected(reader, hostile):
    comment = CommentFactory(reply_emails_enabled=True)
    segment = path_segment(hostile)

    for path in (f"/{segment}/", f"/{segment}.html", f"/go/{segment}/", f"/{segment}"):
        # 400: Django refuses to redirect to an address longer than 2,048 characters.
        assert reader.get(path).status_code in (301, 302, 400, 404)
    assert reader.post(f"/go/{segment}/ping/", {}).status_code in (301, 302, 404)
    for path in (f"/comments/unsubscribe/{segment}/", f"/comments/{segment}/reply/"):
        assert reader.get(path).status_code == 404
    assert reader.post(f"/comments/unsubscribe/{segment}/", {}).status_code == 404
    assert reader.post(f"/comments/post/{segment}/", {"text": hostile}).status_code == 404
    comment.refresh_from_db()
    assert comment.reply_emails_enabled
    # The sitemap reads ?p=, its page number: anything but a page is not found.
    assert reader.get(reverse("articles:sitemap"), {"p": hostile}).status_code == 404


def test_pages_that_read_no_parameter_ignore_every_hostile_one(reader, knee_articles):
    """Sent all at once: these pages read none of them, so one request each
    shows that nothing in the query string reaches them."""
    params = {name: ALL for name in ("q", "page", "from", "p", "token")}

    assert reader.get("/", params).status_code == 200
    # Hubs and articles read ?page= (articles, comments): anything but a page
    # number is not found; every other parameter is ignored.
    for url in (knee_articles.get_absolute_url(), knee_articles.category.get_absolute_url()):
        assert reader.get(url, {**params, "page": []}).status_code == 200
        assert reader.get(url, params).status_code == 404
    feed = reader.get(reverse("articles:feed"), params)
    assert feed.status_code == 200
    ElementTree.fromstring(feed.content)


@pytest.mark.parametrize("hostile", ALL, ids=IDS)
def test_a_hostile_origin_or_referer_header_gets_the_cross_site_answer(reader, hostile):
    """The comment endpoint reads the Origin and Referer headers (which a
    WSGI server hands over as Latin-1, whatever the bytes were)."""
    article = ArticleFactory()
    header = wire(hostile).decode("latin-1")
    post_url = reverse("comments:post", args=[article.pk])
    data = {"name": "Ann", "email": "ann@example.com", "text": "Ice helped."}

    for headers in ({"HTTP_ORIGIN": header}, {"HTTP_ORIGIN": "null", "HTTP_REFERER": header}):
        assert reader.post(post_url, data, **headers).status_code == 403
    assert not article.comments.exists()
