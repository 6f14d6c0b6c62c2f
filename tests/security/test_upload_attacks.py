"""Hostile files uploaded the way an editor's browser sends them: through
CKEditor's upload address and the admin's image fields (an article's
picture, an affiliate banner). tests/articles/test_uploads.py covers what
the checks refuse and why; this suite walks every place a file can come in
and proves that a refused file leaves nothing behind in MEDIA_ROOT, that a
file whose name lies is stored under the name of what it really is, and
that an accepted file is stored as its picture only: no script or page
hidden in or after it, no camera metadata."""

from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image, ImageChops, ImageStat, PngImagePlugin
from pytest_django.asserts import assertContains

from affiliates.models import AffiliateLink
from articles.models import Article
from tests.affiliates.test_affiliate_admin import article_form
from tests.articles.test_uploads import DIALOG, colour_at, photo_bytes, png_bomb, post_upload
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


def store_everywhere(client, name, content):
    """Send one file through each way in (CKEditor, an article's picture, a
    banner) and return the addresses it is served from."""
    ckeditor = post_upload(client, SimpleUploadedFile(name, content), {"responseType": "json"})
    assert ckeditor.status_code == 200, ckeditor.content
    article = admin_post(
        client,
        reverse("admin:articles_article_add"),
        article_form(CategoryFactory(), image=SimpleUploadedFile(name, content), image_alt="Knee"),
    )
    assert article.status_code == 302
    banner = admin_post(
        client,
        reverse("admin:affiliates_affiliatelink_add"),
        banner_form(SimpleUploadedFile(name, content)),
    )
    assert banner.status_code == 302
    return [
        ckeditor.json()["url"],
        Article.objects.get().image.url,
        AffiliateLink.objects.get().banner_image.url,
    ]


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def same_picture(first, second):
    """Both bytes decode to the same format and size, and pixels a reader
    could not tell apart (a JPEG encoded again differs by a rounding)."""
    with Image.open(BytesIO(first)) as one, Image.open(BytesIO(second)) as other:
        if (one.format, one.size) != (other.format, other.size):
            return False
        difference = ImageChops.difference(one.convert("RGBA"), other.convert("RGBA"))
        return max(ImageStat.Stat(difference).mean) < 1


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
        reverse("admin:affiliates_affiliatelink_add"),
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
        reverse("admin:affiliates_affiliatelink_add"),
        banner_form(SimpleUploadedFile(name, content)),
    )

    stored = [
        ckeditor.json()["url"],
        Article.objects.get().image.url,
        AffiliateLink.objects.get().banner_image.url,
    ]
    for url in stored:
        assert url.endswith(f".{extension}")
        response, body = served(client, url)
        assert response["Content-Type"] == content_type
        assert same_picture(body, content)
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


def with_comment(fmt, comment):
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, fmt, comment=comment)
    return out.getvalue()


def with_text_chunk(text):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    out = BytesIO()
    Image.new("RGB", (64, 48), (30, 200, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


SCRIPT = b"<script>alert(document.cookie)</script>"
# (file name, content, what must not be stored): images that are also pages.
POLYGLOTS = {
    "jpeg with script after it": ("photo.jpg", image_bytes("JPEG") + SCRIPT, b"<script"),
    "gif with a page after it": ("anim.gif", image_bytes("GIF") + b"<html>" + SCRIPT, b"<html"),
    "png with a page after it": ("p.png", image_bytes("PNG") + b"<html>" + SCRIPT, b"<html"),
    "jpeg with script in a comment": ("c.jpg", with_comment("JPEG", SCRIPT), b"<script"),
    "gif with script in a comment": ("c.gif", with_comment("GIF", SCRIPT), b"<script"),
    "png with a page in a text chunk": (
        "t.png",
        with_text_chunk("<html>" + SCRIPT.decode()),
        b"<script",
    ),
}


@pytest.mark.parametrize("polyglot", sorted(POLYGLOTS))
def test_an_image_that_is_also_a_page_is_stored_as_the_picture_only(
    editor_client, client, settings, polyglot
):
    name, content, hidden = POLYGLOTS[polyglot]
    assert hidden in content
    before = media_files(settings)

    for url in store_everywhere(editor_client, name, content):
        _, body = served(client, url)
        assert hidden not in body
        assert same_picture(body, content)
    for path in media_files(settings) - before:  # thumbnails and previews too
        assert hidden not in (Path(settings.MEDIA_ROOT) / path).read_bytes()


def test_a_photos_gps_position_and_camera_details_are_not_stored(editor_client, client, settings):
    photo = photo_bytes(gps=True)
    with Image.open(BytesIO(photo)) as sent:
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    before = media_files(settings)

    for url in store_everywhere(editor_client, "holiday.jpg", photo):
        _, body = served(client, url)
        with Image.open(BytesIO(body)) as stored:
            assert stored.size == (60, 40)
            assert not stored.getexif()
            assert "exif" not in stored.info
    for path in media_files(settings) - before:
        data = (Path(settings.MEDIA_ROOT) / path).read_bytes()
        assert b"Exif" not in data
        assert b"PhoneMaker" not in data


def test_a_photo_turned_by_exif_is_stored_and_measured_upright_everywhere(editor_client, client):
    photo = photo_bytes(size=(60, 40), orientation=8)  # shown turned a quarter anticlockwise

    for url in store_everywhere(editor_client, "phone.jpg", photo):
        _, body = served(client, url)
        with Image.open(BytesIO(body)) as stored:
            assert stored.size == (40, 60)
            # The photo's left half (red) is now at the bottom.
            assert colour_at(stored, (20, 55)) == "red"
            assert colour_at(stored, (20, 5)) == "blue"
    link = AffiliateLink.objects.get()
    assert (link.banner_width, link.banner_height) == (40, 60)
