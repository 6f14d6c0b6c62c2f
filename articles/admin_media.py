"""The media library in the admin: every picture editors have uploaded, with
where each is used and the alt text it has there.

It is a page of the article admin (`…/articles/article/media/`), open to
whoever may change articles. CKEditor's image dialog opens it in a popup
with "Browse Server" (the widgets' filebrowserBrowseUrl); there each picture
has an "Insert" button, which static/articles/admin/media-library.js hands
back to the dialog with its URL and the alt text chosen.
"""

import re
from dataclasses import dataclass

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import ImageUse, UploadedImage
from articles.text import drop_control_characters
from core.paging import newest_first_page, page_number, pager

PAGE_SIZE = 24
MAX_QUERY_LENGTH = 100
# CKEditor's number for the dialog waiting for a picture: digits only, since
# the popup's script hands it back to CKEDITOR.tools.callFunction.
_FUNC_NUM = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class LibraryEntry:
    image: UploadedImage
    uses: list
    # The alt texts already given to the picture, most used first.
    suggestions: list


def _entry(image):
    uses = list(image.uses.all())
    counts = {}
    for use in uses:
        if use.alt:
            counts[use.alt] = counts.get(use.alt, 0) + 1
    suggestions = sorted(counts, key=lambda alt: -counts[alt])
    return LibraryEntry(image=image, uses=uses, suggestions=suggestions)


def library_images(query):
    """The pictures matching `query`, newest first, each with its uses and their articles."""
    uses = ImageUse.objects.select_related("article").only(
        "alt", "place", "image_id", "article__id", "article__title"
    )
    return (
        UploadedImage.objects.matching(query)
        .order_by("-uploaded_at", "-pk")
        .prefetch_related(Prefetch("uses", queryset=uses.order_by("article__title", "pk")))
    )


class MediaLibraryAdminMixin:
    """For the article admin: the library's page, and CKEditor's "Browse
    Server" pointing at it."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.media_library_view)
        return [path("media/", view, name="articles_article_media"), *super().get_urls()]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        browse_in_library(formfield)
        return formfield

    def media_library_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        query = drop_control_characters(request.GET.get("q", ""))[:MAX_QUERY_LENGTH].strip()
        func_num = request.GET.get("CKEditorFuncNum", "")
        func_num = func_num if _FUNC_NUM.fullmatch(func_num) else ""
        page = newest_first_page(library_images(query), number=page_number(request), size=PAGE_SIZE)
        params = {"q": query, "CKEditorFuncNum": func_num}
        links = pager(
            page,
            url=request.path,
            label="More pictures",
            previous_text="Newer pictures",
            next_text="Older pictures",
            params={name: value for name, value in params.items() if value},
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Media library",
            "entries": [_entry(image) for image in page.object_list],
            "query": query,
            "func_num": func_num,
            "is_popup": bool(func_num),
            "pager": links,
        }
        return TemplateResponse(request, "admin/articles/media_library.html", context)


def browse_in_library(formfield):
    """Point a CKEditor widget's "Browse Server" at the media library."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, CKEditorUploadingWidget):
        widget.config["filebrowserBrowseUrl"] = reverse("admin:articles_article_media")
