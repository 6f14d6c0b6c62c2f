from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from affiliates.models import AffiliateLink, ArticleAffiliateLink
from tests.factories import (
    AffiliateClickFactory,
    AffiliateLinkFactory,
    ArticleFactory,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "https://www.amazon.com/dp/B000000001",
        "https://amazon.com/gp/product/B01",
        "https://amzn.to/3xYz",
        "https://www.amazon.co.uk/dp/B02",
        "https://smile.amazon.com/dp/B04",
        "HTTPS://WWW.AMAZON.COM/dp/B03",
    ],
)
def test_https_destinations_on_allowed_hosts_are_accepted(url):
    AffiliateLinkFactory.build(destination_url=url).full_clean()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://www.amazon.com/dp/B01", "must start with https://"),
        ("ftp://www.amazon.com/dp/B01", "must start with https://"),
        ("https://www.amazon.com.evil.example/dp/B01", "is not an affiliate host"),
        ("https://evil.example/?u=https://www.amazon.com/", "is not an affiliate host"),
        ("https://www.amazon.com@evil.example/", "is not an affiliate host"),
        ("https://notamazon.com/dp/B01", "is not an affiliate host"),
    ],
)
def test_destinations_off_the_allow_list_get_a_clear_message(url, message):
    link = AffiliateLinkFactory.build(destination_url=url)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert message in " ".join(error.value.message_dict["destination_url"])


def test_the_allow_list_and_schemes_come_from_settings(settings):
    link = AffiliateLinkFactory.build(destination_url="http://127.0.0.1:8123/product")
    with pytest.raises(ValidationError):
        link.full_clean()
    settings.AFFILIATE_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.AFFILIATE_ALLOWED_SCHEMES = ["http"]
    link.full_clean()


@pytest.mark.parametrize(
    ("destination", "tag", "expected"),
    [
        (
            "https://www.amazon.com/dp/B01",
            "clinic-20",
            "https://www.amazon.com/dp/B01?tag=clinic-20",
        ),
        (
            "https://www.amazon.com/s?k=knee+sleeve",
            "clinic-20",
            "https://www.amazon.com/s?k=knee+sleeve&tag=clinic-20",
        ),
        (
            "https://www.amazon.com/dp/B01?tag=other-20",
            "clinic-20",
            "https://www.amazon.com/dp/B01?tag=other-20",
        ),
        ("https://www.amazon.com/dp/B01", "", "https://www.amazon.com/dp/B01"),
    ],
)
def test_the_tracking_tag_is_added_to_the_destination_only_when_missing(destination, tag, expected):
    link = AffiliateLinkFactory.build(destination_url=destination, tracking_tag=tag)
    assert link.target_url == expected


def test_a_banner_needs_an_image_and_alt_text():
    link = AffiliateLinkFactory.build(kind=AffiliateLink.Kind.BANNER)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert set(error.value.message_dict) >= {"banner_image", "banner_alt"}


def test_a_banner_takes_its_width_and_height_from_its_image():
    link = AffiliateLinkFactory(
        kind=AffiliateLink.Kind.BANNER,
        banner_image=png_upload("b.png", size=(300, 250)),
        banner_alt="A pink banner",
    )
    link.full_clean()
    assert (link.banner_width, link.banner_height) == (300, 250)


def test_the_slug_of_a_link_used_by_an_article_cannot_change():
    link = AffiliateLinkFactory(slug="knee-sleeve")
    ArticleFactory(title="Runner's knee", body='<p><a href="/go/knee-sleeve/">sleeve</a></p>')
    link = AffiliateLink.objects.get(pk=link.pk)
    link.slug = "knee-brace"
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "Runner's knee" in error.value.message_dict["slug"][0]


def test_a_link_used_by_an_article_cannot_be_deleted():
    link = AffiliateLinkFactory(slug="knee-sleeve")
    ArticleFactory(body='<p><a href="/go/knee-sleeve/">sleeve</a></p>')
    with pytest.raises(ProtectedError):
        link.delete()


def test_click_counts_cover_exactly_7_days_30_days_and_all_time():
    now = timezone.now()
    busy, quiet, unused = AffiliateLinkFactory(), AffiliateLinkFactory(), AffiliateLinkFactory()
    for age in (
        timedelta(hours=1),
        timedelta(days=6, hours=23),
        timedelta(days=8),
        timedelta(days=29),
        timedelta(days=31),
        timedelta(days=400),
    ):
        AffiliateClickFactory(link=busy, clicked_at=now - age)
    AffiliateClickFactory(link=quiet, clicked_at=now - timedelta(days=10))

    counts = {
        link.pk: (link.clicks_7d, link.clicks_30d, link.clicks_total)
        for link in AffiliateLink.objects.with_click_counts(now=now)
    }
    assert counts == {busy.pk: (2, 4, 6), quiet.pk: (0, 1, 1), unused.pk: (0, 0, 0)}


def test_active_holds_only_links_that_are_switched_on():
    on, off = AffiliateLinkFactory(), AffiliateLinkFactory(inactive=True)
    assert list(AffiliateLink.objects.active()) == [on]
    assert on.is_active
    assert not off.is_active


def test_saving_an_article_records_the_links_in_its_text_and_banner_slots():
    sleeve, outlet = AffiliateLinkFactory(slug="knee-sleeve"), AffiliateLinkFactory(banner=True)
    side = AffiliateLinkFactory(banner=True)
    article = ArticleFactory(
        body='<p><a href="/go/knee-sleeve/">a sleeve</a> and <a href="/go/knee-sleeve/">again</a>'
        ' and <a href="/go/no-such-link/">missing</a></p>',
        banner_after_intro=outlet,
        banner_sidebar=side,
    )
    usages = set(article.affiliate_usages.values_list("link__slug", "placement"))
    assert usages == {
        ("knee-sleeve", "body"),
        (outlet.slug, "after_intro"),
        (side.slug, "sidebar"),
    }

    article.body = "<p>No more links.</p>"
    article.banner_sidebar = None
    article.save()
    assert set(article.affiliate_usages.values_list("link__slug", "placement")) == {
        (outlet.slug, "after_intro")
    }
    assert sleeve.usages.count() == 0


def test_a_link_created_after_the_article_that_uses_it_is_recorded_too():
    article = ArticleFactory(body='<p><a href="/go/foam-roller/">a roller</a></p>')
    assert not article.affiliate_usages.exists()
    link = AffiliateLinkFactory(slug="foam-roller")
    assert list(ArticleAffiliateLink.objects.values_list("article", "link", "placement")) == [
        (article.pk, link.pk, "body")
    ]
