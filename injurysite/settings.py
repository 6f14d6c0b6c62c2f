"""Settings for injurysite, read from the environment.

Development defaults are safe to run on a laptop; with DJANGO_DEBUG off the
site refuses to start without the secrets a public deployment needs. Every
variable read here is listed, with its default, in the README.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "ckeditor",
    "ckeditor_uploader",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "injurysite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "injurysite.wsgi.application"

# Unset: a SQLite file in the project folder. postgres://user@host:port/name
# selects PostgreSQL through psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production; tests and development read the
    # files straight from their folders so no collectstatic is needed there.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In development (and tests) WhiteNoise serves files straight from the apps'
# folders, so nothing needs collectstatic first.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The site's own identity, shown in the header, footer and feed.
SITE_NAME = os.environ.get("SITE_NAME", "Running Injury Clinic")
SITE_TAGLINE = os.environ.get(
    "SITE_TAGLINE", "Plain answers about running injuries, recovery and getting back out there."
)

# Recent Articles: how many, and how long an excerpt may grow before it is cut.
RECENT_ARTICLES_COUNT = 10
EXCERPT_LENGTH = 200

# Thumbnails for listings, made once with Pillow when an article is saved.
THUMBNAIL_SIZE = (160, 120)

CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink", "Image"],
            ["Undo", "Redo"],
            ["Source"],
        ],
        "format_tags": "p;h2;h3",
        "height": 420,
        "width": "100%",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Uploaded media is served by Django unless a front server (nginx) does it.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)

SILENCED_SYSTEM_CHECKS = [
    # ckeditor.W001 warns that django-ckeditor bundles the end-of-life
    # CKEditor 4. The client keeps that editor; what contains the risk is that
    # only staff reach it, and that every rich-text field is cleaned by nh3
    # against an allow-list on save (articles/sanitize.py), so nothing the
    # editor produces can carry script to a reader. The README's Security
    # section says the same and names maintained editors to move to.
    "ckeditor.W001",
]


# ---------------------------------------------------------------------------
# Performance (issue 6): the cache framework, the whole-page cache, and the
# database connections of production app servers. README: "Configuration".
# ---------------------------------------------------------------------------

# Unset: each process keeps its own cache in local memory, right for one
# process (development, tests). Several processes or app servers must share
# one cache, or a change saved through one would leave the others' cached pages
# stale until they expire: set REDIS_URL (redis://host:port/db) in production.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Put in front of every cache key, so several sites (or test runs) can share
# one Redis.
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "injurysite")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, reusing its redis-py client (injurysite/cache.py).
            "BACKEND": "injurysite.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": CACHE_KEY_PREFIX,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# The whole-page cache for anonymous readers (injurysite/pagecache.py). It
# sits first in MIDDLEWARE so that a cached page skips all the others.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
MIDDLEWARE = ["injurysite.pagecache.PageCacheMiddleware", *MIDDLEWARE]
# Parts that are the same on every page (Recent Articles, the category
# navigation) are kept in the cache too, under the same content version, so
# pages that are rendered (cache misses, logged-in users) skip their queries.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
# Longest a stored page is kept, in seconds. Changes never wait for it (they
# change the content version); it only bounds how long unused pages hold memory.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "3600"))
# How long a shared proxy (our nginx micro-cache, a CDN) may keep a page without
# asking again (Cache-Control s-maxage). Browsers always revalidate.
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("PAGE_CACHE_SHARED_MAX_AGE", "5"))
# Paths never cached: staff pages, previews, counted redirects, POST targets.
PAGE_CACHE_EXCLUDED_PATHS = [
    "/admin/",
    "/ckeditor/",
    "/preview/",
    "/go/",
    "/comments/",
    "/healthz",
    MEDIA_URL,
    STATIC_URL,
]
# Query parameters that select a different cacheable page; an address with any
# other parameter is rendered every time (so random query strings cannot fill
# the cache).
PAGE_CACHE_QUERY_PARAMS = ["page"]

# A category hub lists this many articles per page, newest first; the home page
# lists this many of each category's newest articles.
HUB_PAGE_SIZE = 30
HOME_ARTICLES_PER_CATEGORY = 8

# Database connections: each gunicorn sync worker keeps one persistent
# connection (DJANGO_CONN_MAX_AGE, with health checks), opened on its first
# request. psycopg's pool (Django 5.2: OPTIONS {"pool": True}, package
# psycopg-pool) is not used: a sync worker serves one request at a time, so a
# persistent connection already is a pool of one, without the pool's locking;
# a pool pays off with threaded workers or ASGI, which this site does not use.
