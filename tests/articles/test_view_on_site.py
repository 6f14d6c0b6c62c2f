"""The admin's “View on site”: it opens the page itself on the site the editor
is using (SITE_URL when set), drafts and scheduled articles as a preview,
and no page of the admin names the sites framework's example.com."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import (
    AffiliateClickFactory,
    AffiliateLinkFactory,
    ArticleFactory,
    CommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN_HOST = "admin-host.test"


@pytest.fixture
def editor_client(client, settings):
    settings.ALLOWED_HOSTS = [ADMIN_HOST, "injuries.example", "testserver"]
    client.force_login(UserFactory(editor=True))
    return client


def view_on_site_link(client, article):
    page = client.get(
        reverse("admin:articles_article_change", args=[article.pk]), HTTP_HOST=ADMIN_HOST
    )
    assert page.status_code == 200
    match = re.search(r'<a href="([^"]+)" class="viewsitelink">', page.content.decode())
    assert match, "the change page has no “View on site” link"
    return match.group(1)


def follow(client, href, *, host):
    """Open `href` as the editor's browser would from a page on `host`,
    following redirects; every hop must stay on `host`."""
    for _ in range(5):
        url = urlsplit(href)
        assert url.netloc in ("", host), f"“View on site” went to {href}"
        response = client.get(url.path, HTTP_HOST=host, secure=url.scheme == "https")
        if response.status_code not in (301, 302):
            return response
        href = response["Location"]
    raise AssertionError("too many redirects")


@pytest.mark.parametrize(
    ("trait", "banner"),
    [({}, None), ({"draft": True}, "It is a draft."), ({"scheduled": True}, "It is scheduled for")],
    ids=["published", "draft", "scheduled"],
)
def test_view_on_site_opens_the_article_on_the_admins_own_host(editor_client, trait, banner):
    article = ArticleFactory(title="Runner's Knee Explained", **trait)
    href = view_on_site_link(editor_client, article)
    assert "example.com" not in href

    response = follow(editor_client, href, host=ADMIN_HOST)

    assert response.status_code == 200
    assert response.wsgi_request.get_host() == ADMIN_HOST
    assertContains(response, "<h1>Runner&#x27;s Knee Explained</h1>", html=True)
    if banner:
        assertContains(response, banner)
        assert response["X-Page-Cache"] == "bypass"
        assert "no-store" in response["Cache-Control"]


def test_view_on_site_uses_site_url_when_it_is_set(editor_client, settings):
    settings.SITE_URL = "https://injuries.example"
    article = ArticleFactory(draft=True)
    href = view_on_site_link(editor_client, article)
    assert href == f"https://injuries.example/{article.slug}/"

    response = follow(editor_client, href, host="injuries.example")

    assert response.status_code == 200
    assertContains(response, "It is a draft.")


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_a_preview_seen_by_an_editor_never_reaches_readers(editor_client, trait):
    article = ArticleFactory(**{trait: True})
    href = view_on_site_link(editor_client, article)
    assert follow(editor_client, href, host=ADMIN_HOST).status_code == 200

    reader = Client()
    for _ in range(2):
        response = reader.get(article.get_absolute_url(), HTTP_HOST=ADMIN_HOST)
        assert response.status_code == 404
        assert response["X-Page-Cache"] != "hit"


def test_the_sites_row_is_named_after_the_site_by_migrate(settings):
    settings.SITE_URL = "https://injuries.example"
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")

    call_command("migrate", verbosity=0)

    site = Site.objects.get()
    assert (site.domain, site.name) == ("injuries.example", settings.SITE_NAME)
    # The owner can still add a site (PostgreSQL's id sequence is past the row).
    Site.objects.create(domain="other.example", name="Other")


def test_no_admin_page_names_example_com_after_migrate_and_load_demo(client, settings):
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    AffiliateClickFactory(link=AffiliateLinkFactory())
    CommentFactory(email="ann@injuries.example")
    client.force_login(
        UserFactory(
            username="owner", email="owner@injuries.example", is_staff=True, is_superuser=True
        )
    )
    assert "example.com" not in str(list(Site.objects.values()))

    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for url in urls:
            # follow: a one-row model's list (the comment rules) opens its row.
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            assert b"example.com" not in response.content, url


def test_a_comments_view_on_site_opens_it_on_the_admins_own_host(client, settings):
    settings.ALLOWED_HOSTS = [ADMIN_HOST, "testserver"]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    comment = CommentFactory()
    page = client.get(
        reverse("admin:comments_comment_change", args=[comment.pk]), HTTP_HOST=ADMIN_HOST
    )
    href = re.search(r'<a href="([^"]+)" class="viewsitelink">', page.content.decode()).group(1)

    response = follow(client, href, host=ADMIN_HOST)

    assert response.status_code == 200
    assert comment.text in response.content.decode()
