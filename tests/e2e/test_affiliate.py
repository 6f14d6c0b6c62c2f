"""A reader clicks the demo's affiliate banner and text link in Chromium; the
owner then finds the clicks in the admin. The stand-in merchant on
127.0.0.1 (tests/merchant.py) takes Amazon's place through the allow-list."""

import time

from django.core.management import call_command
from django.urls import reverse

from affiliates.models import AffiliateClick, AffiliateLink
from articles.models import Article

BANNER_ALT = "Amazon Outlet: overstock and end-of-season deals on running gear"


def point_demo_links_at(merchant):
    for slug, path in (("amazon-outlet", "/outlet"), ("knee-sleeve", "/product")):
        link = AffiliateLink.objects.get(slug=slug)
        link.destination_url = merchant.url(path)
        link.full_clean()
        link.save()


def log_in_to_admin(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("owner", "owner@example.com", "a-long-passphrase")
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + reverse("admin:index"))


def test_reader_clicks_the_banner_and_text_link_and_the_owner_sees_the_clicks(
    live_server, page, merchant, output_dir, django_user_model
):
    call_command("load_demo")
    point_demo_links_at(merchant)
    knee = Article.objects.get(slug="runners-knee")

    page.goto(live_server.url + knee.get_absolute_url())
    banner = page.get_by_role("link", name=BANNER_ALT)
    assert banner.get_attribute("rel") == "sponsored nofollow noopener"
    page.wait_for_function("() => document.querySelector('.affiliate-banner img').complete")
    assert page.locator(".affiliate-banner img").evaluate("img => img.naturalWidth") == 728
    disclosure = page.locator(".affiliate-disclosure")
    assert "As an Amazon Associate I earn from qualifying purchases." in disclosure.inner_text()
    page.screenshot(path=output_dir / "affiliate-runners-knee.png", full_page=True)

    banner.click()
    page.wait_for_url(lambda url: url.startswith(merchant.url("/outlet")))
    assert page.locator("h1").inner_text() == "Outlet deals"
    assert "tag=runinjuryclinic-20" in page.url

    page.go_back()
    page.wait_for_url(live_server.url + knee.get_absolute_url())
    page.get_by_role("link", name="knee sleeve", exact=True).click()
    page.wait_for_url(lambda url: url.startswith(merchant.url("/product")))
    assert page.locator("h1").inner_text() == "Knee sleeve"

    log_in_to_admin(page, live_server, django_user_model)
    page.goto(live_server.url + reverse("admin:affiliates_affiliatelink_changelist"))
    for name in ("Amazon Outlet banner (pink)", "Knee sleeve (Amazon)"):
        row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=name))
        assert row.locator("td.field-clicks_7d").inner_text() == "1"
        assert row.locator("td.field-clicks_total").inner_text() == "1"
        assert row.locator("td.field-used_in").inner_text() == knee.title
    page.screenshot(path=output_dir / "affiliate-admin-list.png", full_page=True)

    page.get_by_role("link", name="Knee sleeve (Amazon)").click()
    assert "1 click in the last 90 days" in page.locator(".affiliate-stats").inner_text()
    referrers = page.locator("table.referring-articles tbody tr")
    assert referrers.count() == 1
    assert referrers.first.inner_text().split("\t") == [knee.title, "1"]
    assert page.locator("svg.clicks-chart rect.clicks-bar").count() == 90
    page.screenshot(path=output_dir / "affiliate-admin-link.png", full_page=True)


def test_a_direct_link_takes_the_reader_straight_to_the_merchant_and_is_counted_by_ping(
    live_server, page, merchant
):
    call_command("load_demo")
    point_demo_links_at(merchant)
    AffiliateLink.objects.filter(slug="knee-sleeve").update(is_direct=True)
    knee = Article.objects.get(slug="runners-knee")

    page.goto(live_server.url + knee.get_absolute_url())
    link = page.get_by_role("link", name="knee sleeve", exact=True)
    assert link.get_attribute("href").startswith(merchant.url("/product"))
    link.click()
    page.wait_for_url(lambda url: url.startswith(merchant.url("/product")))

    # The browser sends the ping on its own, alongside the navigation.
    deadline = time.monotonic() + 10
    while not AffiliateClick.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    click = AffiliateClick.objects.get()
    assert (click.link.slug, click.from_article, click.via) == ("knee-sleeve", knee, "ping")
