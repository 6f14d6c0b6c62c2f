"""Old addresses keyed by their query (WordPress's `/?p=12`, `/?page_id=3`)
answer their own 301, before the page at their path (the home page) and
whatever the page cache holds for it; other queries still get that page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.redirects import save_redirect
from tests.articles.test_page_cache import call_wsgi
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def moved():
    """An article that was post 12 and page 20 on a WordPress site."""
    article = ArticleFactory(slug="runners-knee", title="Runner's knee")
    save_redirect("/?p=12", article.get_absolute_url())
    save_redirect("/?page_id=20", article.get_absolute_url())
    return article


def test_a_wordpress_post_number_answers_301_to_its_article(client, moved):
    response = client.get("/?p=12")
    assert response.status_code == 301
    assert response["Location"] == "/runners-knee/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/?page_id=20")["Location"] == "/runners-knee/"


def test_the_post_number_answers_301_even_while_the_home_page_is_cached(
    client, cache_backend, moved
):
    client.get(HOME)
    assert client.get(HOME)["X-Page-Cache"] == "hit"

    response = client.get("/?p=12")

    assert response.status_code == 301
    assert response["Location"] == "/runners-knee/"
    # And the 301 did not take the home page's place in the cache.
    home = client.get(HOME)
    assert home.status_code == 200
    assert home["X-Page-Cache"] == "hit"


def test_the_wsgi_fast_path_never_answers_a_post_number_with_the_cached_home_page(
    client, cache_backend, moved, rf
):
    assert call_wsgi(rf.get(HOME).environ)[0] == "200 OK"
    status, headers, _ = call_wsgi(rf.get(HOME).environ)
    assert (status, headers["X-Page-Cache"]) == ("200 OK", "hit")

    status, headers, _ = call_wsgi(rf.get("/?p=12").environ)

    assert status == "301 Moved Permanently"
    assert headers["Location"] == "/runners-knee/"
    status, headers, body = call_wsgi(rf.get("/?utm_source=newsletter").environ)
    assert status == "200 OK"
    assert b"Runner&#x27;s knee" in body or b"Runner's knee" in body


@pytest.mark.parametrize(
    "address", ["/?p=12&utm_source=newsletter", "/?utm_medium=email&p=12", "/index.html?p=12"]
)
def test_tracking_parameters_and_old_forms_reach_the_same_301(client, moved, address):
    response = client.get(address)
    assert (response.status_code, response["Location"]) == (301, "/runners-knee/")


@pytest.mark.parametrize("address", ["/?utm_source=newsletter", "/?p=999", "/?fbclid=abc"])
def test_other_queries_still_get_the_home_page(client, moved, address):
    response = client.get(address)
    assert response.status_code == 200
    assert "Runner's knee" in response.content.decode() or "Runner&#x27;s knee" in (
        response.content.decode()
    )


def test_a_page_that_reads_p_itself_is_not_redirected_without_a_row_for_it(client, moved):
    # The sitemap's pages are numbered with ?p=; no row names them.
    assert client.get(reverse("articles:sitemap") + "?p=1").status_code == 200


def test_only_a_query_naming_a_page_costs_the_extra_lookup(client, moved, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/?utm_source=newsletter")  # fills the shared fragments first
    with CaptureQueriesContext(connection) as plain:
        client.get("/?utm_source=newsletter")
    with CaptureQueriesContext(connection) as numbered:
        client.get("/?p=999")
    lookups = [q["sql"] for q in numbered.captured_queries if "django_redirect" in q["sql"]]
    assert len(numbered.captured_queries) == len(plain.captured_queries) + 1
    assert len(lookups) == 1
