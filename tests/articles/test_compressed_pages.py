"""Cached pages are kept compressed, once per encoding, and each reader gets
the encoding their browser asks for, so no response compresses a page again."""

import gzip

import brotli
import pytest
from django.urls import reverse

from tests.articles.test_page_cache import call_wsgi, outcome, page_url
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def article():
    hub = CategoryFactory(title="Knee pain")
    return ArticleFactory(category=hub, title="Runner's knee", body_html="<p>Knee text.</p>" * 80)


def plain_page(client, url):
    response = client.get(url)
    assert "Content-Encoding" not in response
    return response.content


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        (BROWSER, "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip;q=0.1", "gzip"),
        ("*", "br"),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
        ("compress, deflate", None),
        ("gzip;q=nonsense, br", "br"),
    ],
)
def test_a_reader_gets_the_page_in_the_encoding_their_browser_prefers(
    client, cache_backend, article, accept, encoding
):
    url = page_url(article)
    first = client.get(url, HTTP_ACCEPT_ENCODING=accept)  # rendered and stored
    again = client.get(url, HTTP_ACCEPT_ENCODING=accept)
    page = plain_page(client, url)
    for response, expected_outcome in ((first, "miss"), (again, "hit")):
        assert outcome(response) == expected_outcome
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
        assert decode(response.content) == page
        assert int(response["Content-Length"]) == len(response.content)
    if encoding is not None:
        assert len(again.content) < len(page) / 2


def test_each_encoding_has_its_own_etag_and_each_answers_304(client, cache_backend, article):
    url = page_url(article)
    client.get(url)
    tags = {
        accept: client.get(url, HTTP_ACCEPT_ENCODING=accept)["ETag"]
        for accept in ("", "gzip", "br")
    }
    assert len(set(tags.values())) == 3
    for accept, tag in tags.items():
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept, HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 304
        assert response["ETag"] == tag
    # A copy held in one encoding is not the page in another.
    assert (
        client.get(url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=tags["gzip"]).status_code
        == 200
    )


def test_the_wsgi_fast_path_serves_the_compressed_copy(client, cache_backend, article, rf):
    url = page_url(article)
    client.get(url)
    status, headers, body = call_wsgi(rf.get(url, HTTP_ACCEPT_ENCODING=BROWSER).environ)
    assert (status, headers["X-Page-Cache"], headers["Content-Encoding"]) == ("200 OK", "hit", "br")
    assert brotli.decompress(body) == plain_page(client, url)


def test_an_edit_reaches_the_compressed_copies_at_once(client, cache_backend, article):
    url = page_url(article)
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    article.title = "Runner's knee, revised"
    article.save()
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert outcome(response) == "miss"
    assert b"Runner&#x27;s knee, revised" in gzip.decompress(response.content)


def test_redirects_and_pages_that_are_not_cached_are_left_as_they_are(client, article, admin_user):
    home = reverse("articles:home")
    client.get(home)
    client.force_login(admin_user)
    signed_in = client.get(home, HTTP_ACCEPT_ENCODING="gzip")
    assert outcome(signed_in) == "bypass"
    assert "Content-Encoding" not in signed_in  # nginx compresses these on the way out
    client.logout()
    old_url = page_url(article)
    article.slug = "runners-knee-pain"
    article.save()
    old = client.get(old_url, HTTP_ACCEPT_ENCODING="gzip")
    assert old.status_code == 301
    assert "Content-Encoding" not in old
