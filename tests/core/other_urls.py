"""A second URL configuration for tests/core/test_urls.py."""

from django.http import HttpResponse
from django.urls import path


def view(request, slug):
    return HttpResponse(slug)


urlpatterns = [path("elsewhere/<slug:slug>/", view, name="page")]
