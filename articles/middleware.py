"""The 404 fallback to redirect rows, looked up by the canonical old address."""

from articles.redirects import names_a_page, redirect_response
from core.maintenance import DATABASE_DOWN_ERRORS


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
        return redirect_response(request.get_full_path()) or response
