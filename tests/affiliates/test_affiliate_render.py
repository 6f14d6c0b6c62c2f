import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from tests.factories import AffiliateLinkFactory, ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

REL = 'rel="sponsored nofollow noopener"'
DISCLOSURE = "As an Amazon Associate I earn from qualifying purchases."


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response


def body_of(response):
    html = response.content.decode()
    return html[html.index('<div class="rich-text">') : html.index('<p class="back-to-top">')]


def test_a_go_link_carries_rel_sponsored_and_the_article_it_is_on(client):
    AffiliateLinkFactory(slug="knee-sleeve")
    article = ArticleFactory(
        slug="runners-knee", body='<ul><li>A <a href="/go/knee-sleeve/">knee sleeve</a></li></ul>'
    )
    assertInHTML(
        f'<a href="/go/knee-sleeve/?from=runners-knee" {REL}>knee sleeve</a>',
        page(client, article).content.decode(),
    )


def test_a_go_link_pasted_with_the_sites_own_host_or_a_query_is_still_rewritten(client):
    AffiliateLinkFactory(slug="knee-sleeve")
    article = ArticleFactory(
        slug="runners-knee",
        body='<p><a href="http://127.0.0.1/go/knee-sleeve/">one</a> '
        '<a href="/go/knee-sleeve/?from=elsewhere">two</a></p>',
    )
    html = page(client, article).content.decode()
    assert html.count(f'<a href="/go/knee-sleeve/?from=runners-knee" {REL}>') == 2


def test_a_direct_link_goes_straight_to_the_destination_and_pings_go(client):
    AffiliateLinkFactory(
        slug="knee-sleeve",
        direct=True,
        destination_url="https://www.amazon.com/dp/B01",
        tracking_tag="c-20",
    )
    article = ArticleFactory(
        slug="runners-knee", body='<p><a href="/go/knee-sleeve/">sleeve</a></p>'
    )
    assertInHTML(
        '<a href="https://www.amazon.com/dp/B01?tag=c-20" '
        'ping="/go/knee-sleeve/ping/?from=runners-knee" rel="sponsored nofollow noopener">'
        "sleeve</a>",
        page(client, article).content.decode(),
    )


def test_a_switched_off_direct_link_goes_through_go_so_the_reader_is_told(client):
    AffiliateLinkFactory(slug="old-deal", direct=True, inactive=True)
    article = ArticleFactory(slug="runners-knee", body='<p><a href="/go/old-deal/">deal</a></p>')
    assertInHTML(
        f'<a href="/go/old-deal/?from=runners-knee" {REL}>deal</a>',
        page(client, article).content.decode(),
    )


def test_a_raw_affiliate_url_pasted_into_a_body_keeps_its_address_and_gets_rel(client):
    article = ArticleFactory(
        body='<p><a href="https://amzn.to/3abc" title="Sleeve">raw</a> and '
        '<a href="https://www.nhs.uk/conditions/knee-pain/">the NHS</a></p>'
    )
    html = body_of(page(client, article))
    assertInHTML(f'<a href="https://amzn.to/3abc" title="Sleeve" {REL}>raw</a>', html)
    assertInHTML('<a href="https://www.nhs.uk/conditions/knee-pain/">the NHS</a>', html)


def test_affiliate_links_are_marked_as_such_next_to_the_link(client):
    AffiliateLinkFactory(slug="knee-sleeve")
    article = ArticleFactory(body='<p>A <a href="/go/knee-sleeve/">knee sleeve</a> helps.</p>')
    html = body_of(page(client, article))
    assert re.search(
        r"knee sleeve</a>\s*<span class=\"affiliate-marker\">\(affiliate link\)</span>", html
    )


def test_the_banner_goes_after_the_note_call_out_when_the_intro_has_one(client):
    outlet = AffiliateLinkFactory(banner=True, slug="outlet")
    article = ArticleFactory(
        slug="runners-knee",
        banner_after_intro=outlet,
        body='<p>Intro.</p><p class="note"><strong>NOTE:</strong> see IT band.</p>'
        "<p>More intro.</p><h2>Causes</h2><p>Text.</p>",
    )
    html = body_of(page(client, article))
    assert html.index("see IT band.") < html.index("affiliate-banner") < html.index("More intro.")
    assertInHTML(
        f'<a href="/go/outlet/?from=runners-knee" {REL}>'
        f'<img src="{outlet.banner_image.url}" alt="Amazon Outlet: deals on running gear" '
        'width="728" height="90"></a>',
        html,
    )


def test_without_a_note_the_banner_goes_before_the_first_heading(client):
    outlet = AffiliateLinkFactory(banner=True)
    article = ArticleFactory(
        banner_after_intro=outlet,
        body='<p>Intro.</p><h2>Causes</h2><p class="note">A later note.</p><h2>Recovery</h2>',
    )
    html = body_of(page(client, article))
    assert html.index("Intro.") < html.index("affiliate-banner") < html.index("Causes")


def test_without_a_heading_the_banner_ends_the_text(client):
    article = ArticleFactory(
        banner_after_intro=AffiliateLinkFactory(banner=True), body="<p>All.</p>"
    )
    html = body_of(page(client, article))
    assert html.index("All.") < html.index("affiliate-banner")


def test_the_sidebar_banner_is_shown_above_recent_articles(client):
    side = AffiliateLinkFactory(banner=True, slug="side")
    article = ArticleFactory(slug="runners-knee", banner_sidebar=side)
    html = page(client, article).content.decode()
    sidebar = html[html.index('<aside class="sidebar"') :]
    assert sidebar.index("affiliate-banner-sidebar") < sidebar.index("Recent Articles")
    assert 'href="/go/side/?from=runners-knee"' in sidebar


def test_a_switched_off_banner_is_not_shown_and_needs_no_disclosure(client):
    article = ArticleFactory(
        banner_after_intro=AffiliateLinkFactory(banner=True, inactive=True),
        banner_sidebar=AffiliateLinkFactory(banner=True, inactive=True),
    )
    response = page(client, article)
    assertNotContains(response, "affiliate-banner")
    assertNotContains(response, DISCLOSURE)


def test_the_disclosure_follows_the_article_and_precedes_the_comments(client, settings):
    settings.AFFILIATE_DISCLOSURE_URL = "/disclosure/"
    AffiliateLinkFactory(slug="knee-sleeve")
    article = ArticleFactory(body='<p><a href="/go/knee-sleeve/">sleeve</a></p>')
    html = page(client, article).content.decode()
    assert html.index("Return to") < html.index(DISCLOSURE) < html.index('id="comments"')
    assertInHTML(
        f'<p>FTC Disclosure: {DISCLOSURE} <a href="/disclosure/">Learn more.</a></p>', html
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"body": '<p><a href="/go/knee-sleeve/">sleeve</a></p>'},
        {"body": '<p><a href="https://www.amazon.com/dp/B01">raw</a></p>'},
        {"banner_after_intro": "banner"},
        {"banner_sidebar": "banner"},
    ],
    ids=["go-link", "raw-link", "banner-after-intro", "sidebar-banner"],
)
def test_each_kind_of_affiliate_link_brings_the_disclosure(client, fields):
    AffiliateLinkFactory(slug="knee-sleeve")
    fields = {
        name: AffiliateLinkFactory(banner=True) if value == "banner" else value
        for name, value in fields.items()
    }
    assertContains(page(client, ArticleFactory(**fields)), DISCLOSURE, count=1)


def test_pages_without_affiliate_links_show_no_disclosure(client):
    article = ArticleFactory(body='<p>See <a href="/shin-splints/">shin splints</a>.</p>')
    assertNotContains(page(client, article), "FTC Disclosure")


def test_disclosure_text_and_learn_more_target_are_settings(client, settings):
    settings.AFFILIATE_DISCLOSURE_TEXT = "We may earn a commission from links on this page."
    settings.AFFILIATE_DISCLOSURE_URL = "/how-we-earn/"
    article = ArticleFactory(body='<p><a href="https://amzn.to/x">raw</a></p>')
    assertInHTML(
        "<p>We may earn a commission from links on this page. "
        '<a href="/how-we-earn/">Learn more.</a></p>',
        page(client, article).content.decode(),
    )


def test_an_article_page_with_many_affiliate_links_costs_no_more_queries(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # measure renders, not cache hits
    settings.FRAGMENT_CACHE_ENABLED = False

    def article_with(count):
        links = [AffiliateLinkFactory() for _ in range(count)]
        body = "".join(f'<p><a href="/go/{link.slug}/">{link.name}</a></p>' for link in links)
        return ArticleFactory(
            body=body,
            banner_after_intro=AffiliateLinkFactory(banner=True),
            banner_sidebar=AffiliateLinkFactory(banner=True, direct=True),
        )

    small, large = article_with(1), article_with(25)
    with django_assert_max_num_queries(6) as small_queries:
        page(client, small)
    with django_assert_max_num_queries(6) as large_queries:
        page(client, large)
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)


def test_affiliate_links_in_a_category_intro_get_rel_and_a_disclosure(client):
    AffiliateLinkFactory(slug="foam-roller")
    category = CategoryFactory(
        slug="running-gear", intro='<p>Our <a href="/go/foam-roller/">foam roller</a>.</p>'
    )
    response = client.get(category.get_absolute_url())
    assertInHTML(
        f'<a href="/go/foam-roller/?from=running-gear" {REL}>foam roller</a>',
        response.content.decode(),
    )
    assertContains(response, DISCLOSURE)
    assertNotContains(client.get(CategoryFactory().get_absolute_url()), DISCLOSURE)


def test_the_demo_disclosure_page_is_a_flat_page_at_its_reserved_address(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        FlatPage.objects.filter(url="/disclosure/", sites=Site.objects.get_current()).count() == 1
    )
    response = client.get(reverse("disclosure"))
    assertContains(response, "<h1>How this site earns money</h1>", html=True)
    assertContains(response, 'class="site-header"')


def test_flat_page_content_is_cleaned_when_shown(client):
    page_ = FlatPage.objects.create(
        url="/disclosure/",
        title="Disclosure",
        content='<p onclick="x()">Hi<script>alert(1)</script> <a href="https://amzn.to/a">shop</a></p>',
    )
    page_.sites.add(Site.objects.get_current())
    response = client.get(reverse("disclosure"))
    assertNotContains(response, "alert(1)")
    assertNotContains(response, "onclick")
    assertContains(response, f'<a href="https://amzn.to/a" {REL}>shop</a>')


def test_the_demo_runners_knee_article_carries_a_banner_and_a_knee_sleeve_link(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    knee = Article.objects.get(slug="runners-knee")
    html = page(client, knee).content.decode()
    assertInHTML(f'<a href="/go/knee-sleeve/?from=runners-knee" {REL}>knee sleeve</a>', html)
    body = body_of(page(client, knee))
    assert body.index('class="note"') < body.index("amazon-outlet") < body.index("<h2")
    assert 'alt="Amazon Outlet: overstock and end-of-season deals on running gear"' in body
    assert html.index("Return to") < html.index(DISCLOSURE)

    it_band = client.get(Article.objects.get(slug="it-band-syndrome").get_absolute_url())
    assertNotContains(it_band, "FTC Disclosure")
    assertNotContains(it_band, "sponsored")


def test_links_with_markup_inside_or_awkward_attributes_are_rewritten_whole(client):
    AffiliateLinkFactory(slug="knee-sleeve")
    article = ArticleFactory(
        slug="runners-knee",
        body='<p><a title="Sleeves > braces &amp; tape" href="/go/knee-sleeve/"><strong>Our'
        '</strong> pick</a>, <a>no address</a>, <a href="mailto:clinic@example.com">mail</a>'
        ' and <a href="/go/knee-sleeve/ping/">not a go link</a></p>',
    )
    html = body_of(page(client, article))
    assertInHTML(
        '<a title="Sleeves &gt; braces &amp; tape" href="/go/knee-sleeve/?from=runners-knee" '
        f"{REL}><strong>Our</strong> pick</a>",
        html,
    )
    assertInHTML("<a>no address</a>", html)
    assertInHTML('<a href="mailto:clinic@example.com">mail</a>', html)
    assertInHTML('<a href="/go/knee-sleeve/ping/">not a go link</a>', html)
    assert html.count("sponsored") == 1


def test_switching_a_direct_link_off_changes_a_page_already_rendered_at_once(client, settings):
    """The rendered body is kept with the content version (fragment cache),
    so a link's change reaches pages rendered before it, cache on or off."""
    for page_cache in (False, True):
        settings.PAGE_CACHE_ENABLED = page_cache
        link = AffiliateLinkFactory(direct=True)
        article = ArticleFactory(body=f'<p><a href="/go/{link.slug}/">deal</a></p>')
        assert f'ping="/go/{link.slug}/ping/' in body_of(page(client, article))
        link.is_active = False
        link.save()
        assertInHTML(
            f'<a href="/go/{link.slug}/?from={article.slug}" {REL}>deal</a>',
            body_of(page(client, article)),
        )
