"""The 404 fallback to redirect rows, looked up by the canonical old address."""

from articles.redirects import redirect_response


class RedirectFallbackMiddleware:
    """Where the site answers 404, a redirect row for the path (in any of its
    old forms, see articles.redirects.canonical_old_path) answers instead.
    It replaces django.contrib.redirects' middleware, which matches the path
    only exactly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return redirect_response(request.get_full_path()) or response
