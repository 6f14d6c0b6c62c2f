"""WSGI entry point for gunicorn (gunicorn.conf.py) and other WSGI servers.

Page cache hits are answered before Django's request handling
(pagecache.serve_cached_pages_first); everything else is Django's.
"""

import os

from django.core.wsgi import get_wsgi_application

from injurysite.startup import exit_unless_configured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injurysite.settings")

exit_unless_configured()

from pagecache import serve_cached_pages_first  # noqa: E402 (needs settings)

application = serve_cached_pages_first(get_wsgi_application())
