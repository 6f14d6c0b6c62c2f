"""The Content-Security-Policy in a real browser: nothing the site needs is blocked."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article


@pytest.fixture
def problems(page):
    """Every policy violation and script error the browser reports."""
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def test_reader_pages_are_drawn_with_nothing_blocked(live_server, page, problems):
    call_command("load_demo")
    knee = Article.objects.get(slug="runners-knee")
    for url in [
        reverse("articles:home"),
        knee.category.get_absolute_url(),
        knee.get_absolute_url(),
        reverse("articles:find"),
        reverse("articles:find_region", args=["knee"]),
        reverse("articles:find_symptom", args=["knee", "pain-behind-the-kneecap"]),
        reverse("articles:reviewer", args=["dr-lena-park"]),
    ]:
        page.goto(live_server.url + url)
        # The stylesheet applied: the skip link is moved off screen by site.css.
        assert (
            page.locator(".skip-link").evaluate("el => getComputedStyle(el).position") == "absolute"
        )
    assert problems == []


def test_an_editor_writes_with_ckeditor_under_the_admin_policy(
    live_server, page, problems, admin_user, login_guard, output_dir
):
    call_command("load_demo")
    knee = Article.objects.get(slug="runners-knee")

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[knee.pk]))
    editable = page.frame_locator(".cke_wysiwyg_frame").locator("body")
    editable.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Added in the editor under the policy.")
    # Toolbar buttons and dialogs run through inline handlers: the editor policy must allow them.
    page.click(".cke_button__image")
    expect(page.locator(".cke_dialog").first).to_be_visible()
    page.screenshot(path=output_dir / "admin-ckeditor-under-csp.png", full_page=True)
    page.keyboard.press("Escape")
    # The article is live: its changes go live with “Publish changes” (tests/e2e/test_autosave.py).
    page.click("input[name=_publish]")
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))

    knee.refresh_from_db()
    assert "<p>Added in the editor under the policy.</p>" in knee.body
    assert problems == []
