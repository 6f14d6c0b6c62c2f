"""A reader who knows where it hurts finds the article, and who checked it,
in Chromium with JavaScript switched off (the navigator is plain links)."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse


def test_a_reader_goes_from_the_home_page_to_the_it_band_article_and_its_reviewer(
    live_server, browser, output_dir
):
    call_command("load_demo", stdout=StringIO())
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + reverse("articles:home"))

        page.locator("main").get_by_role("link", name="Find your injury").click()
        page.wait_for_url(live_server.url + reverse("articles:find"))
        assert page.locator("h1").inner_text() == "Find your injury"

        page.get_by_role("link", name="Knee", exact=True).click()
        page.wait_for_url(live_server.url + reverse("articles:find_region", args=["knee"]))
        assert page.locator("h1").inner_text() == "Pain around the knee"

        page.get_by_role("link", name="Pain on the outside of the knee", exact=True).click()
        page.wait_for_url(
            live_server.url
            + reverse("articles:find_symptom", args=["knee", "pain-on-the-outside-of-the-knee"])
        )
        page.screenshot(path=output_dir / "find-outside-of-the-knee.png", full_page=True)
        first = page.locator("main .summary-title a").first
        assert first.inner_text() == "IT Band Syndrome"
        first.click()

        page.wait_for_url(live_server.url + "/it-band-syndrome/")
        assert page.locator("h1").inner_text() == "IT Band Syndrome"
        credit = page.locator(".review-credit")
        assert credit.inner_text() == "Medically reviewed by Sam Okafor, PT, DPT on Feb 10, 2025"
        assert page.get_by_text("Next review due").count() == 0  # staff only
        assert (
            page.get_by_role("link", name="Other injuries with pain around the knee").count() == 1
        )
        page.screenshot(path=output_dir / "it-band-syndrome-reviewed.png", full_page=True)

        credit.get_by_role("link", name="Sam Okafor, PT, DPT").click()
        page.wait_for_url(live_server.url + reverse("articles:reviewer", args=["sam-okafor"]))
        assert page.locator("h1").inner_text() == "Sam Okafor, PT, DPT"
        reviewed = page.locator("main .summary-title a")
        assert reviewed.all_inner_texts() == ["IT Band Syndrome"]
        page.screenshot(path=output_dir / "reviewer-sam-okafor.png", full_page=True)
    finally:
        context.close()
