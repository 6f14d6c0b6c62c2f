"""The whole-page cache, as anonymous readers, editors and proxies meet it.

Most tests run twice through the `cache_backend` fixture: on the local-memory
cache and on Redis (127.0.0.1:6379, keys under a prefix of the test run's own).
"""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Category
from pagecache.http import MISSES_KEY
from tests.conftest import TEST_REDIS_URL
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


def outcome(response):
    return response["X-Page-Cache"]


@pytest.fixture
def site():
    """A hub with two articles, and the addresses of every page that shows the first."""
    hub = CategoryFactory(title="Knee pain")
    first = ArticleFactory(category=hub, title="Runner's knee")
    other = ArticleFactory(category=hub, title="Jumper's knee")
    showing_first = [reverse("articles:home"), page_url(hub), page_url(first), page_url(other)]
    return {"hub": hub, "first": first, "other": other, "urls": showing_first}


def warm(client, urls):
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert outcome(response) == "hit", url


def test_a_second_anonymous_visit_is_a_hit_that_costs_no_database_query(
    client, cache_backend, site, django_assert_num_queries
):
    for url in site["urls"]:
        first = client.get(url)
        assert outcome(first) == "miss"
        # The content version comes from the cache in the same read as the page.
        with django_assert_num_queries(0):
            second = client.get(url)
        assert outcome(second) == "hit"
        assert second.status_code == 200
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_saving_an_article_refreshes_every_page_that_shows_it_at_once(client, cache_backend, site):
    warm(client, site["urls"])
    site["first"].title = "Patellofemoral pain"
    site["first"].save()
    for url in site["urls"]:
        response = client.get(url)
        assert outcome(response) == "miss", url
        assertContains(response, "Patellofemoral pain")
        assertNotContains(response, "Runner&#x27;s knee")


def test_deleting_an_article_removes_it_from_every_cached_page_at_once(client, cache_backend, site):
    warm(client, site["urls"])
    site["first"].delete()
    for url in [reverse("articles:home"), page_url(site["hub"]), page_url(site["other"])]:
        assertNotContains(client.get(url), "Runner&#x27;s knee")
    assert client.get(page_url(site["first"])).status_code == 404


def test_unpublishing_an_article_in_bulk_refreshes_cached_pages(client, cache_backend, site):
    warm(client, site["urls"])
    Article.objects.filter(pk=site["first"].pk).update(status=Article.Status.DRAFT)
    assertNotContains(client.get(reverse("articles:home")), "Runner&#x27;s knee")
    assert client.get(page_url(site["first"])).status_code == 404


def test_saving_or_deleting_a_category_refreshes_cached_pages(client, cache_backend, site):
    spare = CategoryFactory(title="Foot pain")
    warm(client, site["urls"])
    site["hub"].title = "Knees"
    site["hub"].save()
    for url in site["urls"]:
        assertContains(client.get(url), "Knees")  # navigation, hub, "Return to"
    warm(client, site["urls"])
    spare.delete()
    for url in site["urls"]:
        assertNotContains(client.get(url), "Foot pain")
    Category.objects.filter(pk=site["hub"].pk).update(title="Knee injuries")
    assertContains(client.get(reverse("articles:home")), "Knee injuries")


def test_a_new_article_appears_in_other_articles_recent_articles_at_once(
    client, cache_backend, site
):
    warm(client, site["urls"])
    ArticleFactory(title="Shin splints")
    for url in site["urls"]:
        assertContains(client.get(url), "Shin splints")


def test_logged_in_users_bypass_the_cache_and_their_pages_are_not_stored(
    client, cache_backend, site, django_user_model
):
    url = page_url(site["first"])
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    assert outcome(client.get(url)) == "bypass"
    assert outcome(client.get(url)) == "bypass"
    client.logout()
    client.cookies.clear()
    assert outcome(client.get(url)) == "miss"


def test_posts_bypass_the_cache(client, cache_backend, site):
    url = page_url(site["first"])
    warm(client, [url])
    response = client.post(url)
    assert outcome(response) == "bypass"


def test_a_reader_with_a_message_waiting_bypasses_the_cache(client, cache_backend, site):
    url = page_url(site["first"])
    warm(client, [url])
    client.cookies["messages"] = "anything"
    assert outcome(client.get(url)) == "bypass"


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/preview/x/", "/go/amazon/"])
def test_staff_pages_and_counted_redirects_are_never_cached(client, cache_backend, path):
    client.get(path)
    assert outcome(client.get(path)) == "bypass"


def test_a_request_for_an_unknown_host_is_refused_not_cached(client, cache_backend, site):
    response = client.get(page_url(site["first"]), headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert outcome(response) == "bypass"


def test_pages_that_are_not_found_are_not_cached(client, cache_backend):
    client.get("/no-such-page/")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert outcome(response) == "bypass"


def test_permanent_redirects_from_old_addresses_are_cached(client, cache_backend, site):
    old = f"/{site['first'].slug}.html"
    assert outcome(client.get(old)) == "miss"
    response = client.get(old)
    assert outcome(response) == "hit"
    assert response.status_code == 301
    assert response["Location"] == page_url(site["first"])


def test_only_the_page_number_in_a_query_string_is_cached(client, cache_backend, site):
    hub = page_url(site["hub"])
    client.get(hub, {"page": "1"})
    assert outcome(client.get(hub, {"page": "1"})) == "hit"
    client.get(hub, {"utm_source": "mail"})
    assert outcome(client.get(hub, {"utm_source": "mail"})) == "bypass"


def test_anonymous_public_pages_set_no_cookie(client, cache_backend, site):
    for url in site["urls"]:
        for _ in range(2):
            response = client.get(url)
            assert "Set-Cookie" not in response.serialize_headers().decode(), url
            assert not response.cookies, url


def test_a_page_that_sets_a_cookie_is_never_stored(client, cache_backend, site, settings):
    # A public page that renders a CSRF token sets the csrftoken cookie (and
    # Vary: Cookie); the cache must refuse it rather than hand one reader's
    # token to everyone.
    settings.ROOT_URLCONF = "tests.articles.cookie_urls"
    client.get("/with-csrf-token/")
    response = client.get("/with-csrf-token/")
    assert response.cookies
    assert outcome(response) == "bypass"


def test_a_matching_etag_answers_304_not_modified(client, cache_backend, site):
    url = page_url(site["first"])
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    site["first"].title = "Runner's knee, explained"
    site["first"].save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_first_render_already_answers_a_matching_etag_with_304(
    client, cache_backend, site, monkeypatch
):
    # The comment form's token carries the second it was rendered in: both
    # renders in the same second, however slow the machine.
    import comments.tokens

    now = time.time()
    monkeypatch.setattr(comments.tokens.time, "time", lambda: now)
    url = page_url(site["first"])
    etag = client.get(url)["ETag"]
    # Saved unchanged: its page is stale now, but renders the same bytes.
    site["first"].save()
    response = client.get(url, headers={"if-none-match": f'W/"x", {etag}'})
    assert outcome(response) == "miss"
    assert response.status_code == 304


def test_cached_pages_let_a_proxy_keep_them_briefly_and_browsers_revalidate(
    client, cache_backend, site, settings
):
    settings.PAGE_CACHE_SHARED_MAX_AGE = 10
    for response in [client.get(page_url(site["first"])), client.get(page_url(site["first"]))]:
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=10"


def test_head_requests_are_answered_from_the_cache(client, cache_backend, site):
    url = page_url(site["first"])
    client.get(url)
    response = client.head(url)
    assert outcome(response) == "hit"
    assert response.status_code == 200


def test_a_scheduled_article_appears_on_cached_pages_when_its_time_comes(
    client, cache_backend, site
):
    publish_at = timezone.now() + timedelta(seconds=2)
    ArticleFactory(title="Achilles tendinopathy", category=site["hub"], published_at=publish_at)
    urls = [reverse("articles:home"), page_url(site["hub"]), page_url(site["other"])]
    for url in urls:
        assert outcome(client.get(url)) == "miss"
        response = client.get(url)
        assert outcome(response) == "hit"
        assertNotContains(response, "Achilles tendinopathy")
        # Neither we nor a proxy may keep the page past the publish time.
        assert int(response["Cache-Control"].rsplit("=", 1)[1]) <= 2

    time.sleep(max(0, (publish_at - timezone.now()).total_seconds()) + 0.2)

    for url in urls:
        response = client.get(url)
        assert outcome(response) == "miss", url
        assertContains(response, "Achilles tendinopathy")


def test_the_next_publish_time_is_asked_once_per_content_version(
    client, cache_backend, site, settings, django_assert_num_queries
):
    settings.FRAGMENT_CACHE_ENABLED = False
    ArticleFactory(scheduled=True)
    home, hub = reverse("articles:home"), page_url(site["hub"])
    with django_assert_num_queries(6):  # the page's 5, and the next publish time
        client.get(home)
    with django_assert_num_queries(4):
        client.get(hub)


def test_with_the_page_cache_off_every_request_renders_the_page(
    client, site, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    url = page_url(site["first"])
    client.get(url)
    # The article with its category; its comments, navigation, Recent
    # Articles and the category slugs come from the fragment cache.
    with django_assert_num_queries(1):
        response = client.get(url)
    assert outcome(response) == "off"
    settings.FRAGMENT_CACHE_ENABLED = False
    with django_assert_num_queries(4):
        client.get(url)


def test_shared_fragments_are_refreshed_when_content_changes(client, cache_backend, site, settings):
    settings.PAGE_CACHE_ENABLED = False
    url = page_url(site["other"])
    client.get(url)
    site["first"].title = "Patellofemoral pain"
    site["first"].save()
    assertContains(client.get(url), "Patellofemoral pain")
    site["hub"].title = "Knees"
    site["hub"].save()
    assertContains(client.get(url), f'<a href="{page_url(site["hub"])}">Knees</a>', html=True)


def test_the_navigation_marks_the_current_category(client, site):
    response = client.get(page_url(site["hub"]))
    assertContains(
        response,
        f'<a href="{page_url(site["hub"])}" aria-current="page">Knee pain</a>',
        html=True,
    )
    assertContains(client.get(page_url(site["first"])), "aria-current", count=0)


def test_pages_are_served_uncached_while_the_cache_is_unreachable(client, site, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        }
    }
    response = client.get(page_url(site["first"]))
    assert response.status_code == 200
    assert outcome(response) == "bypass"
    site["first"].save()  # an editor's save still succeeds


def test_a_flat_page_saved_in_the_admin_refreshes_cached_pages(
    client, cache_backend, site, admin_user
):
    from django.contrib.sites.models import Site

    url = page_url(site["first"])
    warm(client, [url])
    editor = type(client)()
    editor.force_login(admin_user)
    response = editor.post(
        reverse("admin:flatpages_flatpage_add"),
        {
            "url": "/about/",
            "title": "About",
            "content": "<p>About us.</p>",
            "sites": [Site.objects.get_current().pk],
            "template_name": "",
        },
    )
    assert response.status_code == 302
    assert outcome(client.get(url)) == "miss"
    warm(client, [url])
    from django.contrib.flatpages.models import FlatPage

    flat_page = FlatPage.objects.get(url="/about/")
    editor.post(reverse("admin:flatpages_flatpage_delete", args=[flat_page.pk]), {"post": "yes"})
    assert not FlatPage.objects.exists()
    assert outcome(client.get(url)) == "miss"


def call_wsgi(environ):
    """The production WSGI application, called as gunicorn calls it. Like
    Django's test client, it keeps the test's database connection open
    across the request (the test runs inside a transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    from injurysite.wsgi import application

    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        body = b"".join(response)
        getattr(response, "close", lambda: None)()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_the_wsgi_entry_point_answers_hits_exactly_as_the_middleware_does(
    client, cache_backend, site, rf
):
    url = page_url(site["first"])
    assert outcome(client.get(url)) == "miss"
    through_django = client.get(url)
    status, headers, body = call_wsgi(rf.get(url).environ)
    assert status == "200 OK"
    assert headers["X-Page-Cache"] == "hit"
    assert body == through_django.content
    assert headers == dict(through_django.items())


def test_the_wsgi_entry_point_leaves_misses_and_signed_in_readers_to_django(
    client, cache_backend, site, rf, admin_user
):
    url = page_url(site["first"])
    status, headers, _body = call_wsgi(rf.get(url).environ)
    assert (status, headers["X-Page-Cache"]) == ("200 OK", "miss")
    client.force_login(admin_user)
    signed_in = rf.get(url, HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}").environ
    assert call_wsgi(signed_in)[1]["X-Page-Cache"] == "bypass"
    status, headers, _body = call_wsgi(rf.get(url, HTTP_IF_NONE_MATCH=headers["ETag"]).environ)
    assert (status, headers["X-Page-Cache"]) == ("304 Not Modified", "hit")


def test_a_miss_through_the_wsgi_entry_point_looks_the_page_up_once(
    cache_backend, site, rf, monkeypatch
):
    """The WSGI wrapper reads the page's key; the middleware behind it only stores."""
    from django.core.cache import caches

    backend = caches["default"]
    keys_read, inside = [], []

    def counted(read):
        def reading(keys, *args, **kwargs):
            if not inside:  # local memory's get_many calls its get: count one read
                keys_read.extend([keys] if isinstance(keys, str) else keys)
            inside.append(True)
            try:
                return read(keys, *args, **kwargs)
            finally:
                inside.pop()

        return reading

    for name in ("get", "get_many"):
        monkeypatch.setattr(backend, name, counted(getattr(backend, name)))
    url = page_url(site["first"])
    assert call_wsgi(rf.get(url).environ)[1]["X-Page-Cache"] == "miss"
    assert len([key for key in keys_read if key.startswith("pagecache:page:")]) == 1
    assert call_wsgi(rf.get(url).environ)[1]["X-Page-Cache"] == "hit"


def test_a_version_announced_by_another_process_reaches_pages_this_process_holds(
    client, settings, site, redis_key_prefix
):
    """With Redis, each process keeps copies of pages and follows the content
    version through Redis pub/sub; another process's change (a second cache
    connection here) must still make the next request a miss."""
    import uuid

    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": f"{redis_key_prefix}-{uuid.uuid4().hex[:8]}",
        }
    }
    url = page_url(site["first"])
    for _ in range(3):
        client.get(url)
    assert outcome(client.get(url)) == "hit"
    other_process = caches.create_connection("default")
    other_process.announce("pagecache:version", uuid.uuid4().hex)
    assert outcome(client.get(url)) == "miss"
    assert outcome(client.get(url)) == "hit"


def test_misses_are_counted_in_the_cache_only_when_asked(client, cache_backend, site, settings):
    """PAGE_CACHE_COUNT_MISSES gives a benchmark its hit ratio without reading
    each answer's header: hits are the requests less the misses counted."""
    url = page_url(site["first"])
    client.get(url)
    assert cache.get(MISSES_KEY) is None
    settings.PAGE_CACHE_COUNT_MISSES = True
    outcomes = [outcome(client.get(path)) for path in [url, *site["urls"], *site["urls"]]]
    assert outcomes.count("miss") == 3
    assert cache.get(MISSES_KEY) == 3
