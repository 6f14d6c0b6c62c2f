"""A minimal plain Django project for the benchmark's peer row: one view that
renders the same article page as the site with 3 queries, no middleware, no
apps. Reads the site's database (DATABASE_URL) but none of the site's code."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1").split(",")
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "bench.peers.plain.urls"
TEMPLATES = [
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [BASE_DIR / "templates"]}
]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )
}
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
