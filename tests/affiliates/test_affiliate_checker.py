"""check_affiliate_links against the stand-in merchant on 127.0.0.1 (tests/merchant.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from affiliates.checks import check_links
from affiliates.models import AffiliateLink
from tests.factories import AffiliateLinkFactory
from tests.merchant import SLOW_SECONDS

pytestmark = pytest.mark.django_db
Health = AffiliateLink.Health


def check(*slugs, timeout=2):
    out = StringIO()
    call_command("check_affiliate_links", *slugs, timeout=timeout, workers=4, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("path", "health", "status", "final_path"),
    [
        ("/product", Health.OK, 200, "/product"),
        ("/renamed-product", Health.OK, 200, "/product"),
        ("/no-head", Health.OK, 200, "/no-head"),
        ("/missing", Health.BROKEN, 404, "/missing"),
        ("/gone", Health.BROKEN, 410, "/gone"),
        ("/discontinued", Health.BROKEN, 200, "/"),
        ("/old-product", Health.BROKEN, 200, "/s?k=knee+sleeve"),
        ("/busy", Health.UNKNOWN, 503, "/busy"),
        ("/too-many", Health.UNKNOWN, 429, "/too-many"),
        ("/robot-check", Health.UNKNOWN, 200, "/errors/validateCaptcha"),
        ("/captcha-on-get", Health.UNKNOWN, 200, "/captcha-on-get"),
    ],
)
def test_the_checker_records_what_the_merchant_answered(merchant, path, health, status, final_path):
    link = AffiliateLinkFactory(destination_url=merchant.url(path), tracking_tag="")
    check()
    link.refresh_from_db()
    assert (link.health, link.check_status_code, link.check_final_url) == (
        health,
        status,
        merchant.url(final_path),
    )
    assert link.checked_at is not None
    assert link.check_elapsed_ms is not None


def test_a_slow_merchant_is_recorded_as_could_not_check_after_the_timeout(merchant):
    link = AffiliateLinkFactory(destination_url=merchant.url("/slow"), tracking_tag="")
    output = check(timeout=0.5)
    link.refresh_from_db()
    assert link.health == Health.UNKNOWN
    assert link.check_status_code is None
    assert "No answer within 0.5 s" in link.check_message
    assert link.check_elapsed_ms < SLOW_SECONDS * 1000
    assert "Could not check" in output


def test_the_checker_asks_with_head_and_falls_back_to_get_only_when_head_is_refused(merchant):
    AffiliateLinkFactory(destination_url=merchant.url("/product"), tracking_tag="")
    AffiliateLinkFactory(destination_url=merchant.url("/no-head"), tracking_tag="")
    check()
    assert sorted(merchant.requests) == [
        ("GET", "/no-head"),
        ("HEAD", "/no-head"),
        ("HEAD", "/product"),
    ]


def test_the_checker_follows_redirects_with_head(merchant):
    AffiliateLinkFactory(destination_url=merchant.url("/renamed-product"), tracking_tag="")
    check()
    assert merchant.requests == [("HEAD", "/renamed-product"), ("HEAD", "/product")]


def test_the_checker_checks_the_destination_with_its_tracking_tag(merchant):
    AffiliateLinkFactory(destination_url=merchant.url("/product"), tracking_tag="clinic-20")
    check()
    assert merchant.requests == [("HEAD", "/product?tag=clinic-20")]


def test_switched_off_links_are_not_checked(merchant):
    link = AffiliateLinkFactory(destination_url=merchant.url("/gone"), inactive=True)
    output = check()
    link.refresh_from_db()
    assert link.health == Health.UNCHECKED
    assert merchant.requests == []
    assert "No active affiliate links" in output


def test_the_checker_shows_progress_and_a_summary(merchant):
    for path in ("/product", "/gone", "/busy"):
        AffiliateLinkFactory(destination_url=merchant.url(path), tracking_tag="")
    output = check()
    assert "Checking 3 links, 4 at a time" in output
    for step in ("[1/3]", "[2/3]", "[3/3]"):
        assert step in output
    assert "Done. working: 1, broken: 1, could not check: 1." in output


def test_the_checker_can_check_chosen_links_only(merchant):
    chosen = AffiliateLinkFactory(slug="chosen", destination_url=merchant.url("/product"))
    other = AffiliateLinkFactory(slug="other", destination_url=merchant.url("/product"))
    check("chosen")
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.health, other.health) == (Health.OK, Health.UNCHECKED)


def test_a_check_never_overwrites_what_an_editor_changed_meanwhile(merchant):
    link = AffiliateLinkFactory(destination_url=merchant.url("/gone"), notes="")
    stale = AffiliateLink.objects.get(pk=link.pk)
    AffiliateLink.objects.filter(pk=link.pk).update(notes="Ask the merchant about this one.")
    check_links(links=[stale], timeout=2)
    link.refresh_from_db()
    assert (link.health, link.notes) == (Health.BROKEN, "Ask the merchant about this one.")


def test_a_refused_connection_is_could_not_check_not_broken(merchant):
    merchant.shutdown()
    merchant.server_close()
    link = AffiliateLinkFactory(destination_url=merchant.url("/product"), tracking_tag="")
    check()
    link.refresh_from_db()
    assert link.health == Health.UNKNOWN
    assert "Could not connect" in link.check_message
