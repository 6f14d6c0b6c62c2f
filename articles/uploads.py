"""CKEditor's image uploads: checked with Pillow (core.images) before anything is stored.

CKEditor's upload view (django-ckeditor) stores whatever it is sent and skips
CSRF protection; `upload` here is what the site's URL map serves instead. It
refuses, with a clear 400, anything core.images.check_image refuses, and
stores only the clean copy core.images.clean_image makes; then
django-ckeditor's own view stores it.
"""

import json
import re
import uuid
from pathlib import PurePath

from ckeditor_uploader import utils as ckeditor_utils
from ckeditor_uploader import views as ckeditor_views
from ckeditor_uploader.backends import PillowBackend
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.text import get_text_list

from articles.images import make_preview
from articles.media import record_upload
from core.images import clean_image


class PreviewBackend(PillowBackend):
    """CKEDITOR_IMAGE_BACKEND: stores an upload (already cleaned by `upload`)
    and its preview for the Browse Server window and the media library, in
    the upload's own format, and enters it in the media library.

    django-ckeditor's PillowBackend writes JPEG bytes under the upload's name
    (photo_thumb.gif holding a JPEG, served as image/gif) and makes no preview
    at all of an animated GIF.
    """

    def save_as(self, filepath):
        saved_path = self.storage_engine.save(filepath, self.file_object)
        size = getattr(settings, "CKEDITOR_THUMBNAIL_SIZE", (75, 75))
        with self.storage_engine.open(saved_path) as stored:
            preview = make_preview(stored, size)
        preview_path = self.storage_engine.save(
            ckeditor_utils.get_thumb_filename(saved_path), preview
        )
        record_upload(
            name=saved_path, original_name=self.file_object.name or "", preview=preview_path
        )
        return saved_path


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
    if request.GET.get("responseType") == "json" or not re.fullmatch(r"[0-9]+", func_num):
        return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)
    text = json.dumps(message).replace("<", "\\u003c").replace(">", "\\u003e")
    return HttpResponse(
        "<!doctype html><title>Upload refused</title>"
        f"<p>{escape(message)}</p>"
        f"<script>window.parent.CKEDITOR.tools.callFunction({func_num}, '', {text});</script>",
        status=400,
    )


def upload(request):
    """CKEditor's upload endpoint: check and clean the image, then let
    django-ckeditor store the clean copy."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    # django-ckeditor writes this number, unquoted, into the script it answers
    # with; CKEditor only ever sends digits.
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num and not re.fullmatch(r"[0-9]+", func_num):
        return _refusal(request, "This upload address was not made by the editor. Upload again.")
    uploaded = request.FILES.get("upload")
    if uploaded is None:
        return _refusal(request, "No file arrived. Choose an image and upload it again.")
    try:
        clean = clean_image(uploaded)
    except ValidationError as error:
        return _refusal(request, get_text_list(error.messages, "and"))
    request.FILES["upload"] = clean
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
