"""An editor's day in the admin, in Chromium: write in CKEditor, upload an
image through CKEditor's own upload, publish or schedule, then read the site."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, image_bytes

PASSWORD = "a-long-test-password"


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))


def choose_category(page, category):
    page.click(".field-category .select2-selection")
    page.fill(".select2-search__field", category.title[:6])
    page.locator(".select2-results__option", has_text=category.title).click()


def type_in_editor(page, text):
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type(text)


def upload_through_image_dialog(page, tmp_path, alt):
    picture = tmp_path / "knee-brace.png"
    picture.write_bytes(image_bytes("PNG", size=(1000, 600), color=(200, 90, 60)))
    page.click(".cke_button__image")
    dialog = page.locator(".cke_dialog")
    dialog.locator("a.cke_dialog_tab", has_text="Upload").click()
    page.frame_locator("iframe.cke_dialog_ui_input_file").locator(
        "input[type=file]"
    ).set_input_files(picture)
    with page.expect_response(lambda r: "/ckeditor/upload/" in r.url) as upload:
        dialog.locator("a.cke_dialog_ui_fileButton").click()
    assert upload.value.status == 200
    url_field = dialog.locator("input.cke_dialog_ui_input_text").first
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cke_dialog input.cke_dialog_ui_input_text')]"
        ".some(i => i.value.includes('/media/uploads/'))"
    )
    dialog.get_by_label("Alternative Text").fill(alt)
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    return url_field


def fill_article(page, live_server, tmp_path, *, title, category, when=None):
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.locator("#id_title").press_sequentially(title)
    choose_category(page, category)
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    type_in_editor(page, "Ice, rest and a patient return to running.")
    page.keyboard.press("Enter")
    page.keyboard.type("NOTE: see a physiotherapist first.")
    page.click(".cke_combo__styles a.cke_combo_button")
    page.frame_locator("iframe.cke_panel_frame").get_by_text("Note call-out").click()
    page.keyboard.press("Enter")
    upload_through_image_dialog(page, tmp_path, alt="A knee brace on a running track")
    listing = tmp_path / "listing.png"
    listing.write_bytes(image_bytes("PNG", size=(800, 500), color=(30, 140, 90)))
    page.set_input_files("#id_image", listing)
    page.fill("#id_image_alt", "A green running track")
    # Publishing needs a meta description (articles/publish_checks.py); it is under "Advanced".
    page.locator("fieldset.collapse summary").first.click()
    page.fill("#id_meta_description", f"{title}, for runners.")
    page.select_option("#id_status", "published")
    if when:
        local = timezone.localtime(when)
        page.fill("#id_published_at_0", local.strftime("%Y-%m-%d"))
        page.fill("#id_published_at_1", local.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))
    return Article.objects.get(title=title)


def test_editor_writes_uploads_publishes_and_finds_the_article_first_in_recent_articles(
    live_server, page, output_dir, tmp_path
):
    editor = UserFactory(editor=True)
    category = CategoryFactory(title="Knee Injuries")
    ArticleFactory.create_batch(3, category=category)
    log_in(page, live_server, editor)

    article = fill_article(
        page, live_server, tmp_path, title="Knee braces for runners", category=category
    )
    page.screenshot(path=output_dir / "editor-saved.png", full_page=True)

    assert article.is_published
    assert "<p>Ice, rest and a patient return to running.</p>" in article.body
    assert '<p class="note">NOTE: see a physiotherapist first.</p>' in article.body
    image = re.search(
        r'<img [^>]*src="(/media/uploads/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.png)"', article.body
    )
    assert image, article.body
    assert 'alt="A knee brace on a running track"' in article.body

    page.goto(live_server.url + reverse("articles:home"))
    first = page.locator(".recent-articles li").first
    assert first.locator("h3").inner_text() == "Knee braces for runners"
    thumbnail = first.locator("img")
    assert thumbnail.get_attribute("alt") == "A green running track"
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('.recent-articles li img').complete"
    )  # thumbnails load lazily
    assert thumbnail.evaluate("img => img.naturalWidth") == 160
    page.screenshot(path=output_dir / "home-with-new-article.png", full_page=True)

    first.get_by_role("link", name="Read More").click()
    page.wait_for_url(live_server.url + article.get_absolute_url())
    body_image = page.locator(".rich-text picture img")
    body_image.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.rich-text picture img').complete")
    assert body_image.evaluate("img => img.naturalWidth") > 0
    assert body_image.evaluate("img => img.currentSrc").endswith(".webp")
    page.screenshot(path=output_dir / "article-with-uploaded-image.png", full_page=True)


def test_a_scheduled_article_stays_hidden_until_its_time(live_server, page, browser, tmp_path):
    editor = UserFactory(editor=True)
    category = CategoryFactory(title="Foot Injuries")
    ArticleFactory(category=category, title="Already public")
    log_in(page, live_server, editor)

    tomorrow = timezone.now() + timedelta(days=1)
    article = fill_article(
        page, live_server, tmp_path, title="Heel spurs explained", category=category, when=tomorrow
    )
    assert article.is_scheduled

    reader = browser.new_context().new_page()
    reader.goto(live_server.url + reverse("articles:home"))
    titles = reader.locator(".recent-articles h3").all_inner_texts()
    assert "Already public" in titles
    assert "Heel spurs explained" not in titles
    response = reader.goto(live_server.url + article.get_absolute_url())
    assert response.status == 404
    reader.context.close()

    page.goto(live_server.url + article.get_absolute_url())
    assert "this article is not public" in page.locator(".preview-banner").inner_text()
