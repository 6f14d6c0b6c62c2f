import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

READERS_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
EDITOR_POLICY = {
    **READERS_POLICY,
    "script-src": {"'self'", "'unsafe-inline'"},
    "style-src": {"'self'", "'unsafe-inline'"},
}


def policy(response):
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: set(values) for name, *values in directives}


def assert_protective_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.fixture
def article():
    return ArticleFactory(category=CategoryFactory())


def reader_pages(article):
    return {
        "home": reverse("articles:home"),
        "hub": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "robots.txt": reverse("robots_txt"),
        "healthz": reverse("healthz"),
    }


@pytest.mark.parametrize("kind", ["home", "hub", "article", "robots.txt", "healthz"])
def test_reader_pages_carry_the_strict_policy_and_every_protective_header(client, article, kind):
    response = client.get(reader_pages(article)[kind])
    assert response.status_code == 200
    assert_protective_headers(response)
    assert policy(response) == READERS_POLICY


def test_the_404_page_carries_the_strict_policy_and_every_protective_header(client):
    response = client.get(reverse("articles:page", kwargs={"slug": "no-such-injury"}))
    assert response.status_code == 404
    assert_protective_headers(response)
    assert policy(response) == READERS_POLICY


def test_static_files_carry_the_protective_headers(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY


@pytest.mark.parametrize("kind", ["home", "hub", "article"])
def test_reader_pages_run_no_inline_script_and_set_no_cookie(client, article, kind):
    response = client.get(reader_pages(article)[kind])
    html = response.content.decode()
    # Only our own files and JSON-LD, a data block that browsers never run.
    assert not re.search(r'<script(?![^>]*\ssrc=)(?![^>]*type="application/ld\+json")', html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "javascript:" not in html
    assert not response.cookies


def test_the_admin_sign_in_page_keeps_the_strict_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_protective_headers(response)
    assert policy(response) == READERS_POLICY


def test_admin_lists_keep_the_strict_policy_where_readers_text_is_shown(admin_client, article):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert policy(response) == READERS_POLICY


@pytest.mark.parametrize(
    "url_name", ["admin:articles_article_change", "admin:articles_article_add"]
)
def test_only_admin_pages_with_ckeditor_allow_what_it_needs(admin_client, article, url_name):
    args = [article.pk] if url_name.endswith("change") else []
    response = admin_client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert b'data-type="ckeditortype"' in response.content
    assert_protective_headers(response)
    assert policy(response) == EDITOR_POLICY


def test_a_page_outside_the_admin_never_gets_the_editor_policy(client):
    category = CategoryFactory(intro='<p>Mentions data-type="ckeditortype" in its text.</p>')
    response = client.get(category.get_absolute_url())
    assert policy(response) == READERS_POLICY


def test_ckeditors_own_pages_get_the_editor_policy(admin_client):
    response = admin_client.get(reverse("ckeditor_browse"))
    assert response.status_code == 200
    assert policy(response) == EDITOR_POLICY
