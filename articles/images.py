"""Pillow work on article images, done once when an article is saved.

Listings get small fixed-size thumbnails (JPEG and WebP); images in article
bodies get resized copies at IMAGE_RENDITION_WIDTHS in WebP and in their own
format (articles/renditions.py keeps track of them); CKEditor uploads get a
small preview in their own format for the editor's Browse Server window.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

# Pillow's save() format for each rendition format we keep.
SAVE_OPTIONS = {
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "png": ("PNG", {"optimize": True}),
    "webp": ("WEBP", {"quality": 80, "method": 6}),
    "gif": ("GIF", {}),
}
# Pillow's format name -> the SAVE_OPTIONS key for a copy in the same format.
SAME_FORMAT = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _encode(image, fmt):
    name, options = SAVE_OPTIONS[fmt]
    if fmt == "jpeg":
        image = image.convert("RGB")
    elif image.mode not in (("P", "L") if fmt == "gif" else ("RGB", "RGBA", "L", "LA")):
        image = image.convert("RGBA")
    out = BytesIO()
    image.save(out, name, **options)
    return ContentFile(out.getvalue())


def make_thumbnail(source, size, fmt="jpeg"):
    """An image of exactly `size` (width, height), cropped to fill, from `source`.

    `source` is any file-like object Pillow can open; it is rewound afterwards
    so the original can still be stored. `fmt` is "jpeg" or "webp".
    """
    source.seek(0)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
        content = _encode(image, fmt)
    source.seek(0)
    return content


def make_preview(source, size):
    """`source` shrunk to fit inside `size` (width, height), upright, in its own
    format (an animation's first frame), so the bytes match the source's name."""
    source.seek(0)
    with Image.open(source) as image:
        fmt = SAME_FORMAT[image.format]
        preview = ImageOps.exif_transpose(image)
        if preview.mode in ("1", "P"):
            preview = preview.convert("RGBA")  # palette images only resize pixel by pixel
        preview.thumbnail(size, Image.Resampling.LANCZOS)
        content = _encode(preview, fmt)
    source.seek(0)
    return content


def make_resized(source, width, fmt):
    """(content, width, height): `source` scaled to `width` pixels wide in `fmt`.

    Never enlarges: an image narrower than `width` keeps its own size. The
    copy is re-encoded, so camera metadata (location included) is left out.
    """
    source.seek(0)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        content = _encode(image, fmt)
        size = image.size
    source.seek(0)
    return content, *size


def image_info(source):
    """(format name in lower case, width, height) of an image file, upright."""
    source.seek(0)
    with Image.open(source) as image:
        fmt = (image.format or "").lower()
        upright = ImageOps.exif_transpose(image)
        size = upright.size
        animated = getattr(image, "is_animated", False)
    source.seek(0)
    return ("gif" if animated or fmt == "gif" else fmt), *size
