from django.core.management import call_command
from django.urls import reverse

from articles.models import Article


def test_reader_follows_return_to_and_read_more_from_runners_knee(live_server, page, output_dir):
    call_command("load_demo")
    knee = Article.objects.get(slug="runners-knee")

    page.goto(live_server.url + knee.get_absolute_url())
    assert page.locator("h1").inner_text() == knee.title
    page.screenshot(path=output_dir / "runners-knee.png", full_page=True)

    page.get_by_role("link", name=f"Return to {knee.category.title}").click()
    page.wait_for_url(live_server.url + knee.category.get_absolute_url())
    assert page.locator("h1").inner_text() == knee.category.title

    newest = Article.objects.published().first()
    recent = page.locator(".recent-articles li").first
    assert recent.locator("h3").inner_text() == newest.title
    recent.get_by_role("link", name="Read More").click()
    page.wait_for_url(live_server.url + reverse("articles:page", kwargs={"slug": newest.slug}))
    assert page.locator("h1").inner_text() == newest.title
    thumbnails = page.locator(".recent-articles img")
    assert thumbnails.count() >= 1
    # Every thumbnail loads from our own server once it is scrolled to (they
    # load lazily); naturalWidth stays 0 for a broken image.
    for i in range(thumbnails.count()):
        thumbnails.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.recent-articles img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
