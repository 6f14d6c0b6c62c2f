import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from affiliates.models import AffiliateClick
from tests.factories import AffiliateLinkFactory, ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def go(client, link, method="get", **params):
    url = reverse("affiliates:go", kwargs={"slug": link.slug})
    return getattr(client, method)(url, params, headers={"user-agent": BROWSER})


def test_go_sends_the_reader_to_the_destination_with_the_tracking_tag(client):
    link = AffiliateLinkFactory(
        destination_url="https://www.amazon.com/dp/B01", tracking_tag="c-20"
    )
    response = go(client, link)
    assertRedirects(
        response,
        "https://www.amazon.com/dp/B01?tag=c-20",
        status_code=302,
        fetch_redirect_response=False,
    )
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_no_query_parameter_changes_where_go_sends_the_reader(client):
    link = AffiliateLinkFactory(destination_url="https://www.amazon.com/dp/B01", tracking_tag="")
    for name in ("url", "to", "next", "destination", "redirect", "tag", "from"):
        response = go(client, link, **{name: "https://evil.example/"})
        assert response["Location"] == "https://www.amazon.com/dp/B01"


def test_an_unknown_link_is_not_found(client):
    response = client.get(reverse("affiliates:go", kwargs={"slug": "no-such-link"}))
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_switched_off_link_answers_gone_with_a_way_back_to_the_article(client):
    article = ArticleFactory(title="What is Runner's Knee?", slug="runners-knee")
    link = AffiliateLinkFactory(inactive=True)
    response = go(client, link, **{"from": article.slug})
    assertContains(response, "no longer available", status_code=410)
    assertContains(
        response,
        f'<a href="{article.get_absolute_url()}">Return to What is Runner&#x27;s Knee?</a>',
        html=True,
        status_code=410,
    )
    assertContains(response, 'class="site-header"', status_code=410)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert AffiliateClick.objects.count() == 0


def test_a_switched_off_link_without_a_known_article_offers_the_home_page(client):
    response = go(client, AffiliateLinkFactory(inactive=True), **{"from": "not-an-article"})
    assertContains(response, reverse("articles:home"), status_code=410)


def test_each_get_records_one_click_crediting_the_article_it_came_from(client):
    article = ArticleFactory(slug="runners-knee")
    link = AffiliateLinkFactory()
    go(client, link, **{"from": "runners-knee"})
    go(client, link, **{"from": "runners-knee"})
    go(client, link)
    go(client, link, **{"from": "no-such-article"})
    clicks = AffiliateClick.objects.filter(link=link)
    assert clicks.count() == 4
    assert sorted(clicks.values_list("from_article", flat=True), key=str) == sorted(
        [article.pk, article.pk, None, None], key=str
    )
    assert set(clicks.values_list("via", flat=True)) == {"redirect"}


def test_a_click_keeps_nothing_that_identifies_the_reader(client):
    field_names = {field.name for field in AffiliateClick._meta.get_fields()}
    assert field_names == {"id", "link", "clicked_at", "from_article", "via"}
    link = AffiliateLinkFactory()
    client.get(link.get_absolute_url(), headers={"user-agent": BROWSER}, REMOTE_ADDR="203.0.113.9")
    stored = " ".join(str(value) for value in AffiliateClick.objects.values_list().get())
    assert "203.0.113.9" not in stored
    assert "Mozilla" not in stored


def test_head_requests_are_answered_but_not_counted(client):
    link = AffiliateLinkFactory()
    response = go(client, link, method="head")
    assert response.status_code == 302
    assert AffiliateClick.objects.count() == 0


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0)",
        "",
    ],
)
def test_known_bots_are_redirected_but_not_counted(client, agent):
    link = AffiliateLinkFactory()
    response = client.get(link.get_absolute_url(), headers={"user-agent": agent})
    assert response.status_code == 302
    assert AffiliateClick.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [{"sec-purpose": "prefetch"}, {"sec-purpose": "prefetch;prerender"}, {"purpose": "prefetch"}],
)
def test_a_browser_prefetching_the_link_is_not_a_click(client, headers):
    link = AffiliateLinkFactory()
    response = client.get(link.get_absolute_url(), headers={"user-agent": BROWSER, **headers})
    assert response.status_code == 302
    assert AffiliateClick.objects.count() == 0


def test_the_bot_list_is_a_setting(client, settings):
    settings.AFFILIATE_BOT_USER_AGENTS = ["chrome"]
    go(client, AffiliateLinkFactory())
    assert AffiliateClick.objects.count() == 0


def test_go_accepts_only_get_and_head(client):
    response = go(client, AffiliateLinkFactory(), method="post")
    assert response.status_code == 405
    assert AffiliateClick.objects.count() == 0


def test_a_ping_from_a_direct_link_records_one_click(client):
    article = ArticleFactory(slug="runners-knee")
    link = AffiliateLinkFactory(direct=True)
    url = reverse("affiliates:go_ping", kwargs={"slug": link.slug}) + "?from=runners-knee"
    response = client.post(
        url,
        "PING",
        content_type="text/ping",
        headers={"user-agent": BROWSER, "ping-to": link.target_url},
    )
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    click = AffiliateClick.objects.get()
    assert (click.link, click.from_article, click.via) == (link, article, "ping")


def test_the_ping_endpoint_accepts_only_posts(client):
    link = AffiliateLinkFactory(direct=True)
    url = reverse("affiliates:go_ping", kwargs={"slug": link.slug})
    for method in ("get", "head", "put", "delete"):
        assert getattr(client, method)(url, headers={"user-agent": BROWSER}).status_code == 405
    assert AffiliateClick.objects.count() == 0


def test_the_ping_endpoint_records_nothing_for_links_that_are_not_direct_or_are_off(client):
    for link in (AffiliateLinkFactory(), AffiliateLinkFactory(direct=True, inactive=True)):
        url = reverse("affiliates:go_ping", kwargs={"slug": link.slug})
        assert client.post(url, headers={"user-agent": BROWSER}).status_code == 204
    unknown = reverse("affiliates:go_ping", kwargs={"slug": "no-such-link"})
    assert client.post(unknown, headers={"user-agent": BROWSER}).status_code == 404
    assert AffiliateClick.objects.count() == 0


def test_a_ping_needs_no_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    link = AffiliateLinkFactory(direct=True)
    url = reverse("affiliates:go_ping", kwargs={"slug": link.slug})
    assert strict.post(url, headers={"user-agent": BROWSER}).status_code == 204
    assert AffiliateClick.objects.count() == 1


def test_robots_txt_keeps_search_engines_out_of_go(client):
    response = client.get(reverse("robots_txt"))
    assert "Disallow: /go/" in response.content.decode().splitlines()
