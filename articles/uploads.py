"""Images from editors: checked with Pillow before anything is stored.

CKEditor's upload view (django-ckeditor) stores whatever it is sent and skips
CSRF protection; `upload` here is what the site's URL map serves instead. It
opens every file with Pillow and refuses, with a clear 400, anything that is
not a JPEG, PNG, WebP or GIF (SVG, HTML renamed .jpg, a truncated file), is
larger than IMAGE_UPLOAD_MAX_BYTES, or would decode to more than
IMAGE_UPLOAD_MAX_PIXELS (a decompression bomb). The accepted file is renamed
after the format Pillow found, so its stored extension, and the type it is
served with, always matches its content; then django-ckeditor's own view
stores it. `check_image` is also the validator on Article.image.
"""

import json
import re
import uuid
import warnings
from pathlib import PurePath

from ckeditor_uploader import views as ckeditor_views
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.text import get_text_list
from PIL import Image, UnidentifiedImageError

# Pillow's format name -> the extension the stored file gets. MPO is the
# multi-picture JPEG many phone cameras write.
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED_NAMES = "JPEG, PNG, WebP or GIF"


def check_image(file):
    """Return the extension for `file` after Pillow has checked it.

    Raises ValidationError with a message for the editor when the file is too
    big, is not an image, is an image of a kind the site does not take, or
    has more pixels than IMAGE_UPLOAD_MAX_PIXELS. The file is rewound.
    """
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; images may be at most "
            f"{filesizeformat(max_bytes)}. Save it smaller and upload it again.",
            code="too_big",
        )
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning becomes an error like its hard limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = image.format
                width, height = image.size
                if kind not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        f"{kind} images are not accepted; upload a {ACCEPTED_NAMES} file.",
                        code="format",
                    )
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                image.verify()
            # verify() reads the structure only; decoding the (bounded) pixels
            # catches a truncated or corrupt file before anything is stored.
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            f"The image is far too large when opened ({error}); save it at a normal size "
            "and upload it again.",
            code="bomb",
        ) from error
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            f"This file is not an image the site can use. Upload a {ACCEPTED_NAMES} file.",
            code="not_image",
        ) from error
    finally:
        file.seek(0)
    return ACCEPTED_FORMATS[kind]


def _too_many_pixels(width, height, max_pixels):
    return ValidationError(
        f"The image is {width} × {height} pixels; at most {max_pixels / 1e6:.0f} million "
        "pixels are accepted. Resize it and upload it again.",
        code="pixels",
    )


def validate_image_file(file):
    """Model-field validator: the same checks as CKEditor uploads."""
    if file and not getattr(file, "_committed", True):
        check_image(file)


class ImageUploadField(forms.FileField):
    """The admin's image fields (an article's picture, a banner): the same
    checks and the same messages as CKEditor uploads, in place of Django's
    one message for every kind of refusal."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def to_python(self, data):
        file = super().to_python(data)
        if file is not None:
            check_image(file)
        return file


def name_after_content(field_file):
    """Give a newly assigned image the extension of what it really is, as
    CKEditor uploads get: a PNG sent as photo.gif is stored as photo.png, so
    the type it is served with always matches its content.

    Called by the models' save(); a file Pillow cannot read keeps its name
    (validate_image_file has already refused it wherever an editor uploads).
    """
    if not field_file or getattr(field_file, "_committed", True):
        return
    try:
        field_file.seek(0)
        with Image.open(field_file) as image:
            extension = ACCEPTED_FORMATS.get(image.format)
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, ValueError):
        extension = None
    finally:
        field_file.seek(0)
    if extension:
        field_file.name = str(PurePath(field_file.name).with_suffix(f".{extension}"))


def random_filename(filename, request):
    """CKEDITOR_FILENAME_GENERATOR: a random name keeping the checked extension.

    Editors' own file names can carry personal details and collide; the
    dated folder (CKEDITOR_RESTRICT_BY_DATE) keeps uploads in order.
    """
    return f"{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def _refusal(request, message):
    """A 400 in the shape the caller expects: JSON for paste/drop, a script
    calling back into the image dialog for its Upload tab."""
    func_num = request.GET.get("CKEditorFuncNum", "")
    if request.GET.get("responseType") == "json" or not re.fullmatch(r"\d+", func_num):
        return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)
    text = json.dumps(message).replace("<", "\\u003c").replace(">", "\\u003e")
    return HttpResponse(
        "<!doctype html><title>Upload refused</title>"
        f"<p>{escape(message)}</p>"
        f"<script>window.parent.CKEDITOR.tools.callFunction({func_num}, '', {text});</script>",
        status=400,
    )


def upload(request):
    """CKEditor's upload endpoint: check the image, then let django-ckeditor store it."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    # django-ckeditor writes this number, unquoted, into the script it answers
    # with; CKEditor only ever sends digits.
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num and not re.fullmatch(r"\d+", func_num):
        return _refusal(request, "This upload address was not made by the editor. Upload again.")
    uploaded = request.FILES.get("upload")
    if uploaded is None:
        return _refusal(request, "No file arrived. Choose an image and upload it again.")
    try:
        extension = check_image(uploaded)
    except ValidationError as error:
        return _refusal(request, get_text_list(error.messages, "and"))
    uploaded.name = f"image.{extension}"
    return ckeditor_views.upload(request)


def accept_ckeditor_token(view):
    """Let CKEditor's own token field stand in for Django's.

    CKEditor 4 posts its CSRF token as `ckCsrfToken`, in both the image
    dialog's form and paste/drop uploads; the admin's script
    (static/articles/admin/editor.js) makes that value Django's csrftoken.
    This hands it to the wrapped view's csrf_protect under the header Django
    reads, so the check is Django's own: a token CKEditor made up is refused.
    """

    def wrapped(request, *args, **kwargs):
        token = request.POST.get("ckCsrfToken") if request.method == "POST" else None
        if token and settings.CSRF_HEADER_NAME not in request.META:
            request.META[settings.CSRF_HEADER_NAME] = token
        return view(request, *args, **kwargs)

    # Exempt from the middleware's pass only; csrf_protect inside makes the check.
    wrapped.csrf_exempt = True
    return wrapped
