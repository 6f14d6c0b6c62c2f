"""No page of the site shows an affiliate address without rel="sponsored".

The demo site is crawled from the home page, following every link to our own
pages, after adding the other ways an affiliate address can reach a page: a
raw link pasted into an article and a category intro, a direct link, a
sidebar banner, and a raw link on a flat page.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command

from affiliates.hosts import is_affiliate_host
from affiliates.parsing import go_slug_of
from articles.models import Article, Category
from tests.factories import AffiliateLinkFactory, ArticleFactory

pytestmark = pytest.mark.django_db
NOT_PAGES = ("/admin/", "/media/", "/static/", "/go/", "/ckeditor/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors = []  # (tag, attributes)
        self.urls = []  # (tag, attribute name, value, attributes)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.anchors.append(attributes)
        for name, value in attrs:
            if value and ("://" in value or value.startswith("/")):
                self.urls.append((tag, name, value, attributes))


def crawl(client):
    pages, queue = {}, ["/"]
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = parser = Links()
        parser.feed(response.content.decode())
        for attributes in parser.anchors:
            href = urljoin(path, attributes.get("href", ""))
            parts = urlsplit(href)
            if (
                not parts.netloc
                and parts.path.startswith("/")
                and not parts.path.startswith(NOT_PAGES)
            ):
                queue.append(parts.path)
    return pages


def add_every_kind_of_affiliate_link():
    AffiliateLinkFactory(slug="direct-sleeve", direct=True, destination_url="https://amzn.to/3dir")
    knee = Article.objects.get(slug="runners-knee")
    knee.banner_sidebar = AffiliateLinkFactory(banner=True, direct=True)
    knee.save()
    ArticleFactory(
        category=Category.objects.get(slug="running-gear"),
        body='<p><a href="https://www.amazon.com/dp/B0RAW">pasted</a> and '
        '<a href="/go/direct-sleeve/">direct</a> and <a href="HTTPS://AMZN.TO/x">shouting</a></p>',
    )
    gear = Category.objects.get(slug="running-gear")
    gear.intro += '<p>Browse <a href="https://www.amazon.co.uk/b?node=1">the shop</a>.</p>'
    gear.save()
    disclosure = FlatPage.objects.get(url="/disclosure/")
    disclosure.content += (
        '<p>See <a href="https://www.amazon.com/associates">the programme</a>.</p>'
    )
    disclosure.save()


def test_every_affiliate_address_on_every_page_carries_rel_sponsored(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    add_every_kind_of_affiliate_link()

    pages = crawl(client)
    assert {"/disclosure/", "/runners-knee/", "/running-gear/"} <= set(pages)
    affiliate_urls = 0
    for path, parser in pages.items():
        for tag, name, value, attributes in parser.urls:
            absolute = urljoin("http://127.0.0.1" + path, value)
            if not (is_affiliate_host(absolute) or go_slug_of(urlsplit(value).path)):
                continue
            affiliate_urls += 1
            assert (tag, name) in {("a", "href"), ("a", "ping")}, (path, tag, name, value)
            rel = attributes.get("rel", "").split()
            assert {"sponsored", "nofollow", "noopener"} <= set(rel), (path, value)
    # The raw, direct, banner and /go/ links above, on several pages.
    assert affiliate_urls >= 8
