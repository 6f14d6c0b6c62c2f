"""Hostile files uploaded the way an editor's browser sends them: through
CKEditor's upload address and the admin's image fields (an article's
picture, an affiliate banner). tests/articles/test_uploads.py covers what
the checks refuse and why; this suite walks every place a file can come in
and proves that a refused file leaves nothing behind in MEDIA_ROOT, and that
a file whose name lies is stored under the name of what it really is."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import AffiliateLink, Article
from tests.articles.test_affiliate_admin import article_form
from tests.articles.test_uploads import DIALOG, png_bomb, post_upload
from tests.factories import CategoryFactory, image_bytes

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
NOT_AN_IMAGE = "This file is not an image the site can use."
# (file name, content, what the editor is told: the same wherever it was sent)
ATTACKS = {
    "decompression bomb": ("bomb.png", png_bomb(), "far too large when opened"),
    "svg with script": ("drawing.svg", SVG, NOT_AN_IMAGE),
    "svg renamed .png": ("drawing.png", SVG, NOT_AN_IMAGE),
    "html renamed .jpg": ("photo.jpg", HTML, NOT_AN_IMAGE),
    "oversize": ("big.png", image_bytes(size=(300, 300)) + b"\0" * 60_000, "images may be at most"),
}
LIES = {
    "png named .gif": ("photo.gif", image_bytes("PNG"), "png", "image/png"),
    "gif named .jpg": ("photo.jpg", image_bytes("GIF"), "gif", "image/gif"),
}


@pytest.fixture(autouse=True)
def _small_upload_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 50_000


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def editor_client(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get(reverse("admin:articles_article_add"))  # sets the csrftoken cookie
    return client


def admin_post(client, url, data):
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def banner_form(upload):
    return {
        "name": "Outlet banner",
        "slug": "outlet",
        "destination_url": "https://www.amazon.com/outlet",
        "merchant": "Amazon",
        "tracking_tag": "",
        "kind": "banner",
        "is_active": "on",
        "banner_image": upload,
        "banner_alt": "Amazon Outlet",
        "tracking_parameter": "tag",
        "notes": "",
    }


def image_field_errors(response, field):
    """The messages the admin shows beside `field`."""
    errors = response.context["adminform"].form.errors
    return " ".join(errors.get(field, []))


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("answer", ["json", "dialog"])
def test_ckeditor_refuses_each_attack_with_a_message_and_writes_nothing(
    editor_client, settings, attack, answer
):
    name, content, message = ATTACKS[attack]
    before = media_files(settings)

    query = {"responseType": "json"} if answer == "json" else DIALOG
    response = post_upload(editor_client, SimpleUploadedFile(name, content), query)

    assert response.status_code == 400
    text = response.json()["error"]["message"] if answer == "json" else response.content.decode()
    assert message in text
    assert media_files(settings) == before


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_articles_picture_refuses_each_attack_with_a_message_and_writes_nothing(
    editor_client, settings, attack
):
    name, content, message = ATTACKS[attack]
    before = media_files(settings)
    data = article_form(
        CategoryFactory(), image=SimpleUploadedFile(name, content), image_alt="Knee"
    )

    response = admin_post(editor_client, reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assertContains(response, "Please correct the error below.")
    assert message in image_field_errors(response, "image")
    assert not Article.objects.exists()
    assert media_files(settings) == before


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_affiliate_banner_refuses_each_attack_with_a_message_and_writes_nothing(
    editor_client, settings, attack
):
    name, content, message = ATTACKS[attack]
    before = media_files(settings)

    response = admin_post(
        editor_client,
        reverse("admin:articles_affiliatelink_add"),
        banner_form(SimpleUploadedFile(name, content)),
    )

    assert response.status_code == 200
    assert message in image_field_errors(response, "banner_image")
    assert not AffiliateLink.objects.exists()
    assert media_files(settings) == before


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_file_whose_name_lies_is_stored_under_the_name_of_what_it_is(
    editor_client, client, settings, lie
):
    name, content, extension, content_type = LIES[lie]
    before = media_files(settings)

    ckeditor = post_upload(
        editor_client, SimpleUploadedFile(name, content), {"responseType": "json"}
    )
    admin_post(
        editor_client,
        reverse("admin:articles_article_add"),
        article_form(CategoryFactory(), image=SimpleUploadedFile(name, content), image_alt="Knee"),
    )
    admin_post(
        editor_client,
        reverse("admin:articles_affiliatelink_add"),
        banner_form(SimpleUploadedFile(name, content)),
    )

    stored = [
        ckeditor.json()["url"],
        Article.objects.get().image.url,
        AffiliateLink.objects.get().banner_image.url,
    ]
    for url in stored:
        assert url.endswith(f".{extension}")
        served = client.get(url)
        assert served["Content-Type"] == content_type
        assert b"".join(served.streaming_content) == content
    written = media_files(settings) - before
    assert {f"/media/{path}" for path in written} >= set(stored)
    assert all(Path(path).suffix in {f".{extension}", ".jpg", ".webp"} for path in written)


@pytest.mark.parametrize(
    "func_num",
    ["1);alert(document.cookie);//", "1,'x');alert(1)//", "</script><script>alert(1)</script>"],
)
def test_a_hostile_callback_number_never_reaches_the_answers_script(
    editor_client, settings, func_num
):
    before = media_files(settings)

    response = post_upload(
        editor_client,
        SimpleUploadedFile("a.png", image_bytes()),
        {**DIALOG, "CKEditorFuncNum": quote(func_num)},
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "alert" not in response.content.decode()
    assert media_files(settings) == before
