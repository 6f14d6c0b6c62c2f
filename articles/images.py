"""Pillow work on article images: small fixed-size thumbnails made once."""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps


def make_thumbnail(source, size):
    """A JPEG of exactly `size` (width, height), cropped to fill, from `source`.

    `source` is any file-like object Pillow can open; it is rewound afterwards
    so the original can still be stored.
    """
    source.seek(0)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
        out = BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    source.seek(0)
    return ContentFile(out.getvalue())
