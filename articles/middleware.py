"""The 404 fallback to redirect rows, looked up by the canonical old address."""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from articles.models import Article, Category
from articles.redirects import canonical_old_path, names_a_page, redirect_response
from core.maintenance import DATABASE_DOWN_ERRORS

# The slug path converter's pattern.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
OLD_HOME = re.compile(r"/index\.html?", re.IGNORECASE)


class RedirectFallbackMiddleware:
    """Where the site answers 404, a redirect row for the path (in any of its
    old forms, see articles.redirects.canonical_old_path) answers instead.
    It replaces django.contrib.redirects' middleware, which matches the path
    only exactly.

    An address whose query names a page (`/?p=12`, `/?page_id=3`: WordPress's
    own addresses) is looked up first, before any view: its path (`/`, the
    home page) answers 200 whatever the query, so the fallback would never
    see it. Only a row stored with that query answers; without one the page
    at the path is shown as usual. While the database is down the view
    answers as usual too (core.maintenance's 503 page).

    With no row, an old form of a page that is still here under the same
    name (`/Knee.htm`, `/knee/index.html`, `/KNEE/` for `/knee/`, as a site
    moved in keeps its old file names as slugs) answers one 301 to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET and names_a_page(request.GET):
            try:
                response = redirect_response(request.get_full_path(), query_only=True)
            except DATABASE_DOWN_ERRORS:
                response = None  # the view answers, with the 503 page
            if response is not None:
                return response
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        full_path = request.get_full_path()
        return redirect_response(full_path) or same_page_elsewhere(full_path) or response


def same_page_elsewhere(full_path):
    """A 301 to the page `full_path` is an old form of, or None."""
    canonical = canonical_old_path(full_path).split("?", 1)[0]
    if not canonical or canonical == request_path(full_path):
        return None
    if canonical == "/":
        # Only the old home page's own name (/index.htm, /INDEX.HTML), not "//" and the like.
        if OLD_HOME.fullmatch(request_path(full_path)):
            return HttpResponsePermanentRedirect(reverse("articles:home"))
        return None
    slug = canonical.strip("/")
    if not SLUG.fullmatch(slug):
        return None
    if Article.objects.published().filter(slug=slug).exists() or (
        Category.objects.filter(slug=slug).exists()
    ):
        return HttpResponsePermanentRedirect(reverse("articles:page", kwargs={"slug": slug}))
    return None


def request_path(full_path):
    return full_path.split("?", 1)[0]
