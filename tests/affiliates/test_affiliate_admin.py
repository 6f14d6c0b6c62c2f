import csv
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from affiliates.admin import CHECK_NOW_LIMIT
from affiliates.models import AffiliateLink
from articles.models import Article
from tests.factories import (
    AffiliateClickFactory,
    AffiliateLinkFactory,
    ArticleFactory,
    CategoryFactory,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:affiliates_affiliatelink_changelist"


def cell(html, row_name, field):
    (row,) = [row for row in html.split("</tr>") if f">{row_name}</a>" in row]
    return re.search(rf'<td class="field-{field}">(.*?)</td>', row, re.S).group(1).strip()


def test_the_link_list_shows_clicks_in_7_and_30_days_and_in_total(admin_client):
    now = timezone.now()
    link = AffiliateLinkFactory(name="Knee sleeve")
    for age in (timedelta(days=1), timedelta(days=3), timedelta(days=20), timedelta(days=90)):
        AffiliateClickFactory(link=link, clicked_at=now - age)
    AffiliateLinkFactory(name="Foam roller")

    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert [cell(html, "Knee sleeve", f) for f in ("clicks_7d", "clicks_30d", "clicks_total")] == [
        "2",
        "3",
        "4",
    ]
    assert [cell(html, "Foam roller", f) for f in ("clicks_7d", "clicks_30d", "clicks_total")] == [
        "0",
        "0",
        "0",
    ]


def test_the_link_list_shows_the_articles_using_each_link_and_its_health(admin_client):
    link = AffiliateLinkFactory(name="Knee sleeve", slug="knee-sleeve")
    knee = ArticleFactory(title="What is Runner's Knee?", body='<a href="/go/knee-sleeve/">x</a>')
    ArticleFactory(title="IT Band Syndrome")
    AffiliateLink.objects.filter(pk=link.pk).update(health=AffiliateLink.Health.BROKEN)

    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    used = cell(html, "Knee sleeve", "used_in")
    assert reverse("admin:articles_article_change", args=[knee.pk]) in used
    assert "Runner&#x27;s Knee" in used
    assert "IT Band" not in used
    assert "Broken" in cell(html, "Knee sleeve", "health_status")


def test_the_link_list_costs_the_same_queries_for_one_link_or_many(
    admin_client, django_assert_max_num_queries
):
    def add_links(count):
        for _ in range(count):
            link = AffiliateLinkFactory()
            AffiliateClickFactory.create_batch(2, link=link)
            ArticleFactory(body=f'<a href="/go/{link.slug}/">x</a>')

    add_links(1)
    with django_assert_max_num_queries(12) as few:
        assert admin_client.get(reverse(CHANGELIST)).status_code == 200
    add_links(30)
    with django_assert_max_num_queries(12) as many:
        assert admin_client.get(reverse(CHANGELIST)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind__exact=banner", {"Banner"}),
        ("kind__exact=text", {"Working", "Broken", "Off"}),
        ("is_active__exact=0", {"Off"}),
        ("health__exact=broken", {"Broken"}),
        ("health__exact=ok", {"Working"}),
    ],
)
def test_the_link_list_filters_by_kind_active_and_health(admin_client, query, expected):
    AffiliateLinkFactory(name="Banner", banner=True)
    AffiliateLinkFactory(name="Working", health=AffiliateLink.Health.OK)
    AffiliateLinkFactory(name="Broken", health=AffiliateLink.Health.BROKEN)
    AffiliateLinkFactory(name="Off", inactive=True)
    response = admin_client.get(reverse(CHANGELIST) + "?" + query)
    assert {link.name for link in response.context["cl"].result_list} == expected


def test_a_links_page_charts_90_days_of_clicks_and_lists_the_articles_that_sent_them(
    admin_client,
):
    link = AffiliateLinkFactory()
    knee = ArticleFactory(title="What is Runner's Knee?")
    shins = ArticleFactory(title="Shin Splints")
    zone = timezone.get_current_timezone()
    day = timezone.localdate() - timedelta(days=3)
    at_noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
    AffiliateClickFactory.create_batch(3, link=link, from_article=knee, clicked_at=at_noon)
    AffiliateClickFactory(link=link, from_article=shins, clicked_at=at_noon - timedelta(days=1))
    AffiliateClickFactory(link=link, from_article=None, clicked_at=at_noon - timedelta(days=100))

    response = admin_client.get(reverse("admin:affiliates_affiliatelink_change", args=[link.pk]))
    html = response.content.decode()
    svg = html[html.index('<svg class="clicks-chart"') :]
    svg = svg[: svg.index("</svg>")]
    assert svg.count('<rect class="clicks-bar"') == 90
    assert f"<title>{day:%b %d}: 3 clicks</title>" in svg
    assert f"<title>{day - timedelta(days=1):%b %d}: 1 click</title>" in svg
    assert "4 clicks in the last 90 days; at most 3 on one day." in html
    table = html[html.index('<table class="referring-articles">') :]
    table = table[: table.index("</table>") + len("</table>")]
    assertInHTML(
        f'<tr><td><a href="{reverse("admin:articles_article_change", args=[knee.pk])}">'
        "What is Runner&#x27;s Knee?</a></td><td>3</td></tr>",
        table,
    )
    assertInHTML("<tr><td>Unknown (no article given)</td><td>1</td></tr>", table)
    assert table.index("Runner") < table.index("Shin Splints")


def test_the_clicks_of_selected_links_export_as_csv(admin_client):
    knee = ArticleFactory(slug="runners-knee", title="What is Runner's Knee?")
    sleeve = AffiliateLinkFactory(slug="knee-sleeve", name="=HYPERLINK(evil)")
    other = AffiliateLinkFactory(slug="foam-roller")
    AffiliateClickFactory(link=sleeve, from_article=knee)
    AffiliateClickFactory(link=sleeve, via="ping")
    AffiliateClickFactory(link=other)

    response = admin_client.post(
        reverse(CHANGELIST), {"action": "export_clicks_csv", "_selected_action": [sleeve.pk]}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    assert rows[0] == ["link", "link name", "clicked at", "article", "article title", "via"]
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows[1:]] == [
        ("knee-sleeve", "'=HYPERLINK(evil)", "runners-knee", "What is Runner's Knee?", "redirect"),
        ("knee-sleeve", "'=HYPERLINK(evil)", "", "", "ping"),
    ]


def test_the_check_action_checks_the_selected_links(admin_client, merchant):
    gone = AffiliateLinkFactory(name="Gone", destination_url=merchant.url("/gone"))
    fine = AffiliateLinkFactory(name="Fine", destination_url=merchant.url("/product"))
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "check_selected_links", "_selected_action": [gone.pk, fine.pk]},
        follow=True,
    )
    assertContains(response, "Checked 2 links.")
    assertContains(response, "Broken: Gone")
    gone.refresh_from_db()
    assert gone.health == AffiliateLink.Health.BROKEN


def test_checking_too_many_links_at_once_is_refused_with_a_pointer_to_the_command(
    admin_client, merchant
):
    links = [
        AffiliateLinkFactory(destination_url=merchant.url("/gone"))
        for _ in range(CHECK_NOW_LIMIT + 1)
    ]
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "check_selected_links", "_selected_action": [link.pk for link in links]},
        follow=True,
    )
    assertContains(response, f"Tick at most {CHECK_NOW_LIMIT} links to check now")
    assertContains(response, "check_affiliate_links")
    assert not AffiliateLink.objects.filter(health=AffiliateLink.Health.BROKEN).exists()


def test_the_admin_refuses_a_destination_off_the_allow_list_with_a_clear_error(admin_client):
    response = admin_client.post(
        reverse("admin:affiliates_affiliatelink_add"),
        {
            "name": "Sleeve",
            "slug": "sleeve",
            "destination_url": "https://shop.example/sleeve",
            "merchant": "Shop",
            "tracking_tag": "",
            "kind": "text",
            "is_active": "on",
            "tracking_parameter": "tag",
            "notes": "",
        },
    )
    assertContains(response, "“shop.example” is not an affiliate host this site accepts.")
    assertContains(response, 'value="https://shop.example/sleeve"')
    assert not AffiliateLink.objects.exists()


def article_form(category, **fields):
    now = timezone.localtime()
    return {
        "title": "Runner's knee",
        "slug": "runners-knee",
        "category": category.pk,
        "body": "<p>Text.</p>",
        "excerpt": "",
        "image_alt": "",
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        # Publishing needs one (articles/publish_checks.py).
        "meta_description": "Why the kneecap aches.",
        "banner_after_intro": "",
        "banner_sidebar": "",
        **fields,
    }


def test_saving_an_article_with_a_raw_affiliate_link_warns_the_editor(admin_client):
    AffiliateLinkFactory(slug="old-deal", inactive=True)
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            CategoryFactory(),
            # A draft: publishing it would be refused for the /go/ link to no link.
            status="draft",
            body='<p><a href="https://amzn.to/3abc">sleeve</a> <a href="/go/nope/">x</a> '
            '<a href="/go/old-deal/">y</a></p>',
        ),
        follow=True,
    )
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 3
    assert warnings[0].startswith("Uncloaked affiliate link: https://amzn.to/3abc")
    assert "no affiliate link has that slug" in warnings[1]
    assert "switched off" in warnings[2]
    article = Article.objects.get()
    change = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(change, "Uncloaked affiliate link: https://amzn.to/3abc")


def test_an_article_with_only_go_links_saves_without_warnings(admin_client):
    AffiliateLinkFactory(slug="knee-sleeve", name="Knee sleeve")
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(CategoryFactory(), body='<p><a href="/go/knee-sleeve/">a sleeve</a></p>'),
        follow=True,
    )
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    article = Article.objects.get()
    change = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(change, ">Knee sleeve</a>")
    assertNotContains(change, "Uncloaked")


def test_banner_slots_offer_only_banners(admin_client):
    AffiliateLinkFactory(name="Pink outlet banner", banner=True)
    AffiliateLinkFactory(name="Knee sleeve text link")
    response = admin_client.get(reverse("admin:articles_article_add"))
    form = response.context["adminform"].form
    for slot in ("banner_after_intro", "banner_sidebar"):
        names = [str(link) for link in form.fields[slot].queryset]
        assert names == ["Pink outlet banner"]
    assertContains(response, "everything before the first heading")
