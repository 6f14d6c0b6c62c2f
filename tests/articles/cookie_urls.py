"""A page that renders a CSRF token, as a public page must not: used to show
that the page cache refuses to store a response that sets a cookie."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path


def with_csrf_token(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [path("with-csrf-token/", with_csrf_token)]
