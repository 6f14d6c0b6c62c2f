"""Links to this site made without a request."""

from django.conf import settings


def public_url(path):
    """`path` on SITE_URL, or left relative (so on whatever host the page
    linking to it was served from) while SITE_URL is empty. For links made
    without a request, such as the admin's "View on site"."""
    return settings.SITE_URL + path if settings.SITE_URL else path
