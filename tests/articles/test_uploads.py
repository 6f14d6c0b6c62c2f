import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory, image_bytes, png_upload

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("ckeditor_upload")
DIALOG = {"CKEditor": "id_body", "CKEditorFuncNum": "3", "langCode": "en"}


def png_bomb(width=30_000, height=30_000):
    """A valid PNG header claiming a huge image over a tiny compressed body."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\0" + b"\0" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(50)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture
def editor_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(editor=True))
    client.get(reverse("admin:articles_article_add"))  # sets the csrftoken cookie
    return client


def post_upload(client, upload, query=None, csrf_field="csrfmiddlewaretoken"):
    data = {"upload": upload}
    token = client.cookies.get("csrftoken")
    if token and csrf_field:
        data[csrf_field] = token.value
    return client.post(
        UPLOAD_URL + "?" + "&".join(f"{k}={v}" for k, v in (query or {}).items()), data
    )


def uploaded_files(settings):
    root = Path(settings.MEDIA_ROOT) / "uploads"
    return (
        [p for p in root.rglob("*") if p.is_file() and "_thumb" not in p.name]
        if root.exists()
        else []
    )


@pytest.mark.parametrize(
    ("name", "fmt", "extension"),
    [
        ("knee.jpg", "JPEG", "jpg"),
        ("knee.png", "PNG", "png"),
        ("k.webp", "WEBP", "webp"),
        ("k.gif", "GIF", "gif"),
    ],
)
def test_staff_upload_each_accepted_kind_under_a_random_name_in_a_dated_folder(
    editor_client, settings, name, fmt, extension
):
    response = post_upload(
        editor_client, SimpleUploadedFile(name, image_bytes(fmt)), {"responseType": "json"}
    )
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert re.fullmatch(rf"/media/uploads/\d{{4}}/\d{{2}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", url)
    assert name.split(".")[0] not in url.rsplit("/", 1)[-1]
    assert (Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")).exists()


def test_the_image_dialog_gets_its_callback_with_the_stored_address(editor_client):
    response = post_upload(editor_client, SimpleUploadedFile("a.png", image_bytes()), DIALOG)
    assert response.status_code == 200
    assert re.search(
        r"callFunction\(3, '/media/uploads/[\d/]+/[0-9a-f]{32}\.png'\)", response.content.decode()
    )


def test_a_png_renamed_jpg_is_stored_with_the_extension_of_its_content(editor_client):
    response = post_upload(
        editor_client, SimpleUploadedFile("photo.jpg", image_bytes("PNG")), {"responseType": "json"}
    )
    assert response.json()["url"].endswith(".png")


REFUSED = {
    "svg": (
        "drawing.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>',
        "not an image the site can use",
    ),
    "html renamed .jpg": (
        "photo.jpg",
        b"<!doctype html><script>alert(document.cookie)</script>",
        "not an image the site can use",
    ),
    "text file": ("notes.txt", b"just some words", "not an image the site can use"),
    "pdf": ("leaflet.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "not an image"),
    "truncated jpeg": ("cut.jpg", image_bytes("JPEG", size=(800, 600))[:600], "not an image"),
    "bmp": ("old.bmp", image_bytes("BMP"), "BMP images are not accepted"),
    "tiff": ("scan.tiff", image_bytes("TIFF"), "TIFF images are not accepted"),
    "decompression bomb": ("bomb.png", png_bomb(), "pixels"),
    "empty file": ("empty.png", b"", "not an image"),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
@pytest.mark.parametrize("answer", ["json", "dialog"])
def test_each_refused_kind_of_file_gets_a_clear_400_and_nothing_is_stored(
    editor_client, settings, kind, answer
):
    name, content, message = REFUSED[kind]
    query = {"responseType": "json"} if answer == "json" else DIALOG
    response = post_upload(editor_client, SimpleUploadedFile(name, content), query)
    assert response.status_code == 400
    if answer == "json":
        assert response.json()["uploaded"] == 0
        assert message in response.json()["error"]["message"]
    else:
        text = response.content.decode()
        assert "window.parent.CKEDITOR.tools.callFunction(3, ''," in text
        assert message in text
    assert uploaded_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(editor_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    big = image_bytes("PNG", size=(400, 400), color=(1, 2, 3)) + b"\0" * 20_000
    response = post_upload(
        editor_client, SimpleUploadedFile("big.png", big), {"responseType": "json"}
    )
    assert response.status_code == 400
    assert "images may be at most" in response.json()["error"]["message"]
    assert uploaded_files(settings) == []


def test_an_image_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100 * 100
    response = post_upload(
        editor_client,
        SimpleUploadedFile("wide.png", image_bytes(size=(200, 100))),
        {"responseType": "json"},
    )
    assert response.status_code == 400
    assert "200 × 100 pixels" in response.json()["error"]["message"]


def test_uploads_without_the_csrf_token_are_refused(editor_client, settings):
    response = post_upload(
        editor_client, SimpleUploadedFile("a.png", image_bytes()), csrf_field=None
    )
    assert response.status_code == 403
    assert uploaded_files(settings) == []


def test_ckeditors_own_made_up_token_is_refused(editor_client, settings):
    upload = SimpleUploadedFile("a.png", image_bytes())
    response = editor_client.post(UPLOAD_URL, {"upload": upload, "ckCsrfToken": "x" * 40})
    assert response.status_code == 403
    assert uploaded_files(settings) == []


def test_ckeditors_csrf_field_carrying_djangos_token_is_accepted(editor_client):
    upload = SimpleUploadedFile("a.png", image_bytes())
    response = post_upload(
        editor_client, upload, {"responseType": "json"}, csrf_field="ckCsrfToken"
    )
    assert response.status_code == 200


def test_readers_and_non_staff_users_cannot_upload(client, settings):
    response = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("a.png", image_bytes())})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    client.force_login(UserFactory())
    response = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("a.png", image_bytes())})
    assert response.status_code == 302
    assert uploaded_files(settings) == []


def test_editors_can_browse_earlier_uploads(editor_client):
    url = post_upload(
        editor_client, SimpleUploadedFile("a.png", image_bytes()), {"responseType": "json"}
    ).json()["url"]
    response = editor_client.get(reverse("ckeditor_browse") + "?CKEditorFuncNum=1")
    assert response.status_code == 200
    assert url in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_readers_cannot_browse_uploads(client):
    assert client.get(reverse("ckeditor_browse")).status_code == 302


def test_the_articles_own_image_gets_the_same_checks():
    article = ArticleFactory.build(
        category=ArticleFactory().category,
        image=SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script>"),
        image_alt="Something",
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "not an image the site can use" in str(error.value)
    good = ArticleFactory.build(category=article.category, image=png_upload(), image_alt="Hill")
    good.full_clean()
    assert not Article.objects.filter(slug=good.slug).exists()
