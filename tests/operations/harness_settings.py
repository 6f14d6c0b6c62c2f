"""Settings for the site as tests/operations runs it in a subprocess.

Production settings from the environment, plus the form views of
harness_urls standing in for the comment form (it lives on another branch),
and static files read from their folders so no collectstatic is needed.
"""

from injurysite.settings import *  # noqa: F403
from injurysite.settings import STORAGES

ROOT_URLCONF = "tests.operations.harness_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
