"""The media library's records: which pictures exist and where each is used.

`record_upload` is called when CKEditor stores an upload
(articles.uploads.PreviewBackend); `record_image_uses` when an article is
saved (articles.saving), from its stored body and its picture, so the library
never reads article bodies. A picture put in a body before the library
existed is recorded the first time an article using it is saved.
"""

from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from ckeditor_uploader.utils import get_thumb_filename
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

from articles.body_images import is_decorative
from articles.models.media import ImageUse, UploadedImage
from core.markup import parse

# Folders of copies the site makes itself; never offered as pictures.
MADE_BY_THE_SITE = ("renditions/", "thumbs/")


def record_upload(*, name, original_name="", preview=""):
    """The library's row for the stored file `name`, made if missing."""
    image, _ = UploadedImage.objects.get_or_create(
        file=name,
        defaults={"original_name": PurePosixPath(original_name).name[:255], "preview": preview},
    )
    return image


def _media_name(src):
    """The storage name of an image address in MEDIA_URL, or None."""
    try:
        path = unquote(urlsplit(src.strip()).path)
    except ValueError:
        return None
    if not path.startswith(settings.MEDIA_URL):
        return None
    name = path[len(settings.MEDIA_URL) :]
    if not name or name.startswith(MADE_BY_THE_SITE) or len(name) > 255:
        return None
    return name


def _found_preview(name):
    """CKEditor's small copy of an upload, when it has one."""
    thumb = get_thumb_filename(name)
    try:
        return thumb if default_storage.exists(thumb) else ""
    except SuspiciousFileOperation:
        return ""


def _stored(name):
    try:
        return default_storage.exists(name)
    except SuspiciousFileOperation:
        return False


def uses_in(article):
    """[(storage name, alt text, place)] of the pictures `article` shows, in order."""
    found = []
    for token in parse(article.body):
        if token.kind == "start" and token.tag == "img":
            name = _media_name(token.attrs.get("src", ""))
            if name:
                alt = "" if is_decorative(token.attrs) else token.attrs.get("alt", "").strip()
                found.append((name, alt, ImageUse.Place.BODY))
    if article.image:
        found.append((article.image.name, article.image_alt.strip(), ImageUse.Place.LISTING))
    return list(dict.fromkeys(found))


def record_image_uses(*, article):
    """Replace the article's ImageUse rows with the pictures it shows now.

    Pictures not yet in the library (put in before it existed, or an
    article's picture) are added when their file is in storage.
    """
    wanted = uses_in(article)
    names = {name for name, _, _ in wanted}
    images = {image.file.name: image for image in UploadedImage.objects.filter(file__in=names)}
    for name in sorted(names - set(images)):
        if not _stored(name):
            continue
        preview = article.thumbnail.name if name == article.image.name else _found_preview(name)
        images[name] = UploadedImage.objects.create(
            file=name, original_name=PurePosixPath(name).name, preview=preview or ""
        )
    ImageUse.objects.filter(article=article).delete()
    ImageUse.objects.bulk_create(
        [
            ImageUse(article=article, image=images[name], alt=alt, place=place)
            for name, alt, place in wanted
            if name in images
        ]
    )


def _uploads_in(folder):
    """Storage names of the files under `folder`, CKEditor's previews left out."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        path = f"{folder.rstrip('/')}/{name}"
        if path != get_thumb_filename(path) and not PurePosixPath(name).stem.endswith("_thumb"):
            yield path
    for sub in sorted(folders):
        yield from _uploads_in(f"{folder.rstrip('/')}/{sub}")


def record_existing_media(*, articles):
    """Enter the uploads already in storage and the pictures of `articles`
    in the library; returns (pictures added, articles read). For a site whose
    pictures were uploaded before the library existed; running it again adds
    nothing twice."""
    before = UploadedImage.objects.count()
    for name in _uploads_in(settings.CKEDITOR_UPLOAD_PATH):
        if len(name) > 255:
            continue
        image = record_upload(
            name=name, original_name=PurePosixPath(name).name, preview=_found_preview(name)
        )
        modified = default_storage.get_modified_time(name)
        if image.uploaded_at > modified:
            UploadedImage.objects.filter(pk=image.pk).update(uploaded_at=modified)
    read = 0
    for article in articles.iterator(chunk_size=200):
        record_image_uses(article=article)
        read += 1
    return UploadedImage.objects.count() - before, read
