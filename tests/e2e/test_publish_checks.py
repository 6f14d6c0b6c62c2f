"""The checks before publishing and the media library, in Chromium: an editor
is stopped from publishing an image without alt text, fixes it in CKEditor
and publishes; an editor puts a picture from the library into the text
through the image dialog's "Browse Server"."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import Article, ImageUse, UploadedImage
from tests.e2e.test_editor import (
    choose_category,
    log_in,
    type_in_editor,
    upload_through_image_dialog,
)
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, image_bytes


def open_advanced(page):
    page.locator("fieldset.collapse summary").first.click()


def test_an_editor_cannot_publish_an_image_without_alt_text_until_it_is_described(
    live_server, page, output_dir, tmp_path
):
    editor = UserFactory(editor=True)
    category = CategoryFactory(title="Knee Injuries")
    log_in(page, live_server, editor)
    add_url = live_server.url + reverse("admin:articles_article_add")

    page.goto(add_url)
    page.locator("#id_title").press_sequentially("Knee sleeves")
    choose_category(page, category)
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    type_in_editor(page, "A sleeve keeps the knee warm on cold runs.")
    page.keyboard.press("Enter")
    upload_through_image_dialog(page, tmp_path, alt="")
    open_advanced(page)
    page.fill("#id_meta_description", "What a knee sleeve does for a runner.")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")

    checks = page.locator(".publish-checks")
    checks.wait_for()
    assert "Image 1 in the body" in checks.inner_text()
    assert "has no alt text" in checks.inner_text()
    assert "Not published" in page.locator(".errorlist.nonfield").inner_text()
    assert page.url == add_url
    assert page.input_value("#id_title") == "Knee sleeves"
    assert page.input_value("#id_meta_description") == "What a knee sleeve does for a runner."
    assert not Article.objects.exists()
    page.screenshot(path=output_dir / "publish-blocked.png", full_page=True)

    editor_body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    assert "A sleeve keeps the knee warm" in editor_body.inner_text()
    editor_body.locator("img").dblclick()
    dialog = page.locator(".cke_dialog")
    dialog.get_by_label("Alternative Text").fill("A grey knee sleeve on a runner's leg")
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))

    article = Article.objects.get()
    assert article.is_published
    assert 'alt="A grey knee sleeve on a runner\'s leg"' in article.body
    assert ImageUse.objects.get(article=article).alt == "A grey knee sleeve on a runner's leg"


def test_an_editor_inserts_a_picture_from_the_library_with_an_alt_text_used_before(
    live_server, page, output_dir
):
    editor = UserFactory(editor=True)
    category = CategoryFactory(title="Foot Injuries")
    name = default_storage.save(
        "uploads/2025/02/01/arch.png", ContentFile(image_bytes("PNG", color=(90, 60, 200)))
    )
    UploadedImage.objects.create(file=name, original_name="Arch support.png")
    ArticleFactory(
        title="Flat feet", body=f'<p><img src="/media/{name}" alt="An arch support insole"></p>'
    )
    log_in(page, live_server, editor)

    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.locator("#id_title").press_sequentially("Plantar fasciitis")
    choose_category(page, category)
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    type_in_editor(page, "Insoles spread the load.")
    page.keyboard.press("Enter")
    page.click(".cke_button__image")
    dialog = page.locator(".cke_dialog")
    with page.expect_popup() as opened:
        dialog.locator("a.cke_dialog_ui_button", has_text="Browse Server").first.click()
    library = opened.value
    library.wait_for_load_state()
    item = library.locator(".media-library-item", has_text="Arch support.png")
    assert "Flat feet" in item.inner_text()
    assert item.locator(".media-library-alt").input_value() == "An arch support insole"
    library.screenshot(path=output_dir / "media-library-popup.png", full_page=True)
    with library.expect_event("close"):
        item.get_by_role("button", name="Insert").click()

    page.wait_for_function(
        "() => [...document.querySelectorAll('.cke_dialog input.cke_dialog_ui_input_text')]"
        f".some(i => i.value === '/media/{name}')"
    )
    assert dialog.get_by_label("Alternative Text").input_value() == "An arch support insole"
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))

    article = Article.objects.get(title="Plantar fasciitis")
    assert f'src="/media/{name}"' in article.body
    assert 'alt="An arch support insole"' in article.body
    assert set(UploadedImage.objects.get().uses.values_list("article__title", flat=True)) == {
        "Flat feet",
        "Plantar fasciitis",
    }
