"""Images inside article bodies: alt-text checks and resized copies.

Works on the tokens of core.markup. `image_edits` runs once when an article
is saved (articles.rendering); its output is stored beside the body, so no
page view resizes or rewrites anything.
"""

import logging
import re
from pathlib import PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.html import escape
from PIL import UnidentifiedImageError

from articles.images import image_info, make_resized
from articles.models.rendition import Rendition
from core.markup import parse

logger = logging.getLogger(__name__)

# The article column is at most 42rem wide; narrower screens use their width.
SIZES = "(min-width: 45rem) 42rem, 100vw"
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def is_decorative(attributes):
    return "decorative" in attributes.get("class", "").split()


def images_without_alt(markup):
    """The src of each image with no alt text that is not marked decorative."""
    missing = []
    for token in parse(markup):
        if token.kind != "start" or token.tag != "img":
            continue
        attributes = token.attrs
        if not attributes.get("alt", "").strip() and not is_decorative(attributes):
            missing.append(attributes.get("src", ""))
    return missing


def media_name(src):
    """The storage name of a `src` in MEDIA_URL, or None for any other address."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    name = unquote(src[len(settings.MEDIA_URL) :].split("?", 1)[0])
    try:
        return name if name and default_storage.exists(name) else None
    except SuspiciousFileOperation:
        return None


def ensure_renditions(name):
    """{format: [Rendition, narrowest first]} for media file `name`, made if missing.

    JPEG, PNG and WebP originals get copies at each IMAGE_RENDITION_WIDTHS
    (never wider than the original) in WebP and their own format; GIFs and
    files Pillow cannot read get none.
    """
    try:
        with default_storage.open(name) as source:
            fmt, width, _ = image_info(source)
            if fmt not in EXTENSIONS:
                return {}
            formats = sorted({fmt, "webp"})
            widths = sorted({min(target, width) for target in settings.IMAGE_RENDITION_WIDTHS})
            made = {(r.width, r.format) for r in Rendition.objects.filter(source=name)}
            stem = PurePosixPath(name).stem
            for target in widths:
                for out in formats:
                    if (target, out) not in made:
                        _make(source, name, stem, target, out)
    except (OSError, UnidentifiedImageError) as error:
        logger.warning("No renditions for %s: %s", name, error)
        return {}
    found = {}
    for rendition in Rendition.objects.filter(source=name).order_by("width"):
        found.setdefault(rendition.format, []).append(rendition)
    return found


def _make(source, name, stem, width, fmt):
    content, real_width, height = make_resized(source, width, fmt)
    rendition = Rendition(source=name, width=real_width, height=height, format=fmt)
    rendition.file.save(f"{stem}-{real_width}.{EXTENSIONS[fmt]}", content, save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)  # made meanwhile by another save


def _sizes_from_style(attributes):
    """CKEditor writes an image's size as style="width: …px; height: …px";
    as attributes instead, the page's CSS can scale it down on small screens."""
    kept = []
    for declaration in attributes.pop("style", "").split(";"):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        if name in ("width", "height") and re.fullmatch(r"\d+(\.\d+)?px", value):
            attributes[name] = str(round(float(value[:-2])))
        elif name:
            kept.append(f"{name}: {value}")
    if kept:
        attributes["style"] = "; ".join(kept)


def _srcset(renditions):
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def _img_tag(attributes):
    return (
        "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attributes.items()) + ">"
    )


def image_edits(tokens):
    """[(start, end, new markup)] giving each image among `tokens` its size,
    lazy loading below the fold, and, for images in media storage, WebP and
    resized copies in <picture> (made now if missing).

    The first image, when it comes before the first h2 (above the fold),
    loads at once; every other image loads lazily.
    """
    edits, seen, in_intro = [], 0, True
    for token in tokens:
        if token.kind == "start" and token.tag == "h2":
            in_intro = False
        if token.kind == "start" and token.tag == "img":
            seen += 1
            above_fold = seen == 1 and in_intro
            edits.append((token.start, token.end, _rendered(dict(token.attrs), above_fold)))
    return edits


def _rendered(attributes, above_fold):
    if is_decorative(attributes):
        attributes["alt"] = ""
    _sizes_from_style(attributes)
    name = media_name(attributes.get("src", ""))
    renditions = ensure_renditions(name) if name else {}
    original = next((renditions[fmt] for fmt in renditions if fmt != "webp"), None)
    original = original or renditions.get("webp")
    if original:
        largest = original[-1]
        attributes["src"] = largest.file.url
        attributes["srcset"] = _srcset(original)
        attributes["sizes"] = SIZES
        attributes.setdefault("width", str(largest.width))
        attributes.setdefault("height", str(largest.height))
    elif name:
        try:
            with default_storage.open(name) as source:
                _, width, height = image_info(source)
            attributes.setdefault("width", str(width))
            attributes.setdefault("height", str(height))
        except (OSError, UnidentifiedImageError):
            pass
    attributes["loading"] = "eager" if above_fold else "lazy"
    attributes["decoding"] = "async"
    tag = _img_tag(attributes)
    webp = renditions.get("webp")
    if not webp or original is webp:
        return tag
    return (
        f'<picture><source type="image/webp" srcset="{escape(_srcset(webp))}" '
        f'sizes="{SIZES}">{tag}</picture>'
    )
