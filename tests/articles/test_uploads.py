import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageSequence, ImageStat

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


# What is stored is the picture only, re-encoded by Pillow (core.images.clean_image).

GPS = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}


def photo_bytes(size=(60, 40), orientation=None, gps=False, icc_profile=None, quality=75):
    """A JPEG whose left half is red and right half blue, with camera EXIF."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.GPSInfo] = GPS
    out = BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    image.save(out, "JPEG", exif=exif.tobytes(), quality=quality, **options)
    return out.getvalue()


def colour_at(image, position):
    """The strongest of red, green and blue at `position`."""
    pixel = image.convert("RGB").getpixel(position)
    return ("red", "green", "blue")[pixel.index(max(pixel))]


def animated_gif_bytes(size=(40, 30), colors=((255, 0, 0), (0, 255, 0), (0, 0, 255)), loop=0):
    frames = [Image.new("RGB", size, color) for color in colors]
    out = BytesIO()
    durations = [100 * (n + 1) for n in range(len(frames))]
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=loop
    )
    return out.getvalue()


def frames_of(data):
    """(rgb of the top-left pixel, duration) of each frame of an image."""
    frames = []
    with Image.open(BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            frame.load()
            frames.append((frame.convert("RGB").getpixel((0, 0)), frame.info.get("duration")))
    return frames


def upload_and_read(client, settings, name, content):
    response = post_upload(client, SimpleUploadedFile(name, content), {"responseType": "json"})
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    return url, (Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")).read_bytes()


def test_a_photo_turned_by_its_exif_orientation_is_stored_upright(editor_client, settings):
    sent = photo_bytes(size=(60, 40), orientation=6)  # shown turned a quarter clockwise
    _, stored = upload_and_read(editor_client, settings, "phone.jpg", sent)
    with Image.open(BytesIO(stored)) as image:
        assert image.size == (40, 60)
        assert image.getexif().get(ExifTags.Base.Orientation) is None
        assert colour_at(image, (20, 5)) == "red"
        assert colour_at(image, (20, 55)) == "blue"


def test_a_jpeg_keeps_its_quality_and_colour_profile(editor_client, settings):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    sent = photo_bytes(size=(400, 300), icc_profile=profile, quality=93)
    _, stored = upload_and_read(editor_client, settings, "photo.jpg", sent)
    with Image.open(BytesIO(sent)) as before, Image.open(BytesIO(stored)) as after:
        assert after.format == "JPEG"
        assert after.quantization == before.quantization
        assert after.info.get("icc_profile") == profile
        difference = ImageChops.difference(before.convert("RGB"), after.convert("RGB"))
        assert max(ImageStat.Stat(difference).mean) < 1


def test_an_animated_gif_keeps_its_frames_timing_and_looping(editor_client, settings):
    sent = animated_gif_bytes()
    url, stored = upload_and_read(editor_client, settings, "stretch.gif", sent)
    assert url.endswith(".gif")
    assert (
        frames_of(stored)
        == frames_of(sent)
        == [
            ((255, 0, 0), 100),
            ((0, 255, 0), 200),
            ((0, 0, 255), 300),
        ]
    )
    with Image.open(BytesIO(stored)) as image:
        assert image.info["loop"] == 0


def test_a_sprite_moving_over_a_transparent_gif_leaves_no_trail(editor_client, settings):
    frames = []
    for step in range(4):
        frame = Image.new("RGBA", (30, 20), (0, 0, 0, 0))
        frame.paste((255, 0, 0, 255), (step * 7, 5, step * 7 + 6, 11))
        frames.append(frame)
    out = BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0, disposal=2
    )
    _, stored = upload_and_read(editor_client, settings, "sprite.gif", out.getvalue())
    with Image.open(BytesIO(stored)) as image:
        shown = [frame.convert("RGBA").copy() for frame in ImageSequence.Iterator(image)]
    assert [frame.getpixel((2, 8)) for frame in shown] == [(255, 0, 0, 255)] + [(0, 0, 0, 0)] * 3
    assert [frame.getpixel((23, 8)) for frame in shown] == [(0, 0, 0, 0)] * 3 + [(255, 0, 0, 255)]


@pytest.mark.parametrize("lossless", [True, False])
def test_a_webp_stays_lossless_or_lossy(editor_client, settings, lossless):
    out = BytesIO()
    Image.new("RGB", (64, 64), (10, 100, 200)).save(out, "WEBP", lossless=lossless)
    _, stored = upload_and_read(editor_client, settings, "w.webp", out.getvalue())
    assert stored[12:16] == (b"VP8L" if lossless else b"VP8 ")
    with Image.open(BytesIO(stored)) as image:
        assert image.size == (64, 64)
        if lossless:
            assert image.getpixel((5, 5)) == (10, 100, 200)


def test_an_animation_over_the_pixel_limit_in_all_its_frames_is_refused(editor_client, settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 40 * 30 * 2
    response = post_upload(
        editor_client,
        SimpleUploadedFile("long.gif", animated_gif_bytes(size=(40, 30))),
        {"responseType": "json"},
    )
    assert response.status_code == 400
    assert "3 frames of 40 × 30 pixels" in response.json()["error"]["message"]
    assert uploaded_files(settings) == []


def browse_previews(client):
    """{image address: its preview's address} as the Browse Server window lists them."""
    page = client.get(reverse("ckeditor_browse") + "?CKEditorFuncNum=1").content.decode()
    pairs = re.findall(r'<a class="thumb" href="([^"]+)">\s*<img src="([^"]+)"', page)
    return dict(pairs)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.png", image_bytes("PNG")),
        ("a.gif", image_bytes("GIF")),
        ("a.jpg", image_bytes("JPEG")),
        ("moving.gif", animated_gif_bytes()),
    ],
)
def test_the_browse_windows_preview_is_served_as_the_kind_of_image_it_holds(
    editor_client, name, content
):
    url = post_upload(
        editor_client, SimpleUploadedFile(name, content), {"responseType": "json"}
    ).json()["url"]

    preview_url = browse_previews(editor_client)[url]
    served = editor_client.get(preview_url)

    assert served.status_code == 200
    with Image.open(BytesIO(b"".join(served.streaming_content))) as preview:
        assert served["Content-Type"] == Image.MIME[preview.format]
        assert preview_url.rsplit(".", 1)[-1] == url.rsplit(".", 1)[-1]
        assert max(preview.size) <= 75
