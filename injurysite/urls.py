"""The site's URL map. Fixed paths come first; the flat `/<slug>/` namespace
of categories and articles is last, and articles.slugs.RESERVED_SLUGS keeps
editors from taking any path listed here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles import views as article_views
from injurysite.health import healthz

urlpatterns = [
    # DJANGO_ADMIN_PATH, "admin/" unless the owner moves it.
    path(settings.ADMIN_PATH, admin.site.urls),
    path("ckeditor/", include("ckeditor_uploader.urls")),
    path("robots.txt", article_views.robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
]



def serve_media(request, path):
    # MEDIA_ROOT is read per request so a changed setting (tests) is honoured.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]

urlpatterns += [path("", include("articles.urls"))]


handler500 = "articles.views.server_error"
