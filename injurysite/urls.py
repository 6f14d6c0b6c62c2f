"""The site's URL map. Fixed paths come first; the flat `/<slug>/` namespace
of categories and articles is last, and articles.slugs.RESERVED_SLUGS keeps
editors from taking any path listed here."""

from ckeditor_uploader import views as ckeditor_views
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.flatpages import views as flatpage_views
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe
from django.views.static import serve

from articles import uploads
from articles import views as article_views
from injurysite.health import healthz

# CKEditor's upload and browse views, under the names its widget looks up.
# django-ckeditor marks its upload view csrf_exempt and stores any file; ours
# checks the image first and runs Django's CSRF check (articles/uploads.py).
ckeditor_urlpatterns = [
    path(
        "upload/",
        uploads.accept_ckeditor_token(csrf_protect(staff_member_required(uploads.upload))),
        name="ckeditor_upload",
    ),
    path(
        "browse/",
        never_cache(csrf_protect(staff_member_required(ckeditor_views.browse))),
        name="ckeditor_browse",
    ),
]


@require_safe
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever a page links
    (pages link the hashed static copy). A file response, so the page cache
    passes it by and the long Cache-Control stays."""
    found = finders.find("favicon.ico")
    if found is None:
        raise Http404("No favicon.ico among the static files.")
    response = FileResponse(open(found, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


urlpatterns = [
    # DJANGO_ADMIN_PATH, "admin/" unless the owner moves it.
    path(settings.ADMIN_PATH, admin.site.urls),
    path("ckeditor/", include(ckeditor_urlpatterns)),
    # /comments/… and /<article-slug>/comments/feed/.
    path("", include("comments.urls")),
    path("go/", include("affiliates.urls")),
    path("robots.txt", article_views.robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    # The affiliate disclosure's "Learn more" page, kept with django.contrib.flatpages.
    path("disclosure/", flatpage_views.flatpage, {"url": "/disclosure/"}, name="disclosure"),
]


def serve_media(request, path):
    # MEDIA_ROOT is read per request so a changed setting (tests) is honoured.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]

urlpatterns += [path("", include("articles.urls"))]


handler500 = "articles.views.server_error"
