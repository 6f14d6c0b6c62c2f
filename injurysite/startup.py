"""Start-up guard shared by manage.py, wsgi.py and asgi.py."""

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def exit_unless_configured():
    """Load the settings, or stop with one clear line on stderr.

    settings.py raises ImproperlyConfigured when production is missing a
    secret; the person starting the site needs that sentence, not a traceback.
    """
    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading a setting loads settings.py
    except ImproperlyConfigured as error:
        sys.exit(f"injurysite: configuration error: {error}")
