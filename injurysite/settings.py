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
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

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
# Affiliate links (issue 4): articles.models.affiliate, /go/<slug>/
# ---------------------------------------------------------------------------

# Domains an affiliate destination may point to, each with its subdomains
# (comma-separated in the environment): Amazon's shops and short links. Links
# pasted straight to these hosts are also marked rel="sponsored" on the page
# and flagged to editors as uncloaked.
AFFILIATE_ALLOWED_HOSTS = env_list(
    "AFFILIATE_ALLOWED_HOSTS",
    [
        "amazon.com",
        "amzn.to",
        "amzn.com",
        "a.co",
        "amazon.ca",
        "amazon.co.uk",
        "amazon.com.au",
        "amazon.de",
        "amazon.fr",
        "amazon.it",
        "amazon.es",
    ],
)
# Schemes a destination may use. https only; tests add http for 127.0.0.1.
AFFILIATE_ALLOWED_SCHEMES = env_list("AFFILIATE_ALLOWED_SCHEMES", ["https"])
# Clicks whose user agent contains one of these words (any case) are not
# counted; an empty user agent is not counted either.
AFFILIATE_BOT_USER_AGENTS = env_list(
    "AFFILIATE_BOT_USER_AGENTS",
    ["bot", "crawler", "spider", "slurp", "facebookexternalhit", "embedly", "preview"],
)
# The disclosure shown after every article that carries an affiliate link or
# banner, and where its "Learn more" goes (a flat page the demo creates).
# Amazon's Operating Agreement asks for exactly this statement.
AFFILIATE_DISCLOSURE_TEXT = os.environ.get(
    "AFFILIATE_DISCLOSURE_TEXT",
    "FTC Disclosure: As an Amazon Associate I earn from qualifying purchases.",
)
AFFILIATE_DISCLOSURE_URL = os.environ.get("AFFILIATE_DISCLOSURE_URL", "/disclosure/")
# Shown right after each affiliate link and under each banner; empty hides it.
AFFILIATE_MARKER_TEXT = os.environ.get("AFFILIATE_MARKER_TEXT", "(affiliate link)")
# manage.py check_affiliate_links: seconds per request, links checked at once,
# and the user agent it announces itself with.
AFFILIATE_CHECK_TIMEOUT = float(os.environ.get("AFFILIATE_CHECK_TIMEOUT", "10"))
AFFILIATE_CHECK_WORKERS = int(os.environ.get("AFFILIATE_CHECK_WORKERS", "4"))
AFFILIATE_CHECK_USER_AGENT = os.environ.get(
    "AFFILIATE_CHECK_USER_AGENT", "injurysite-link-checker/1.0"
)
# Clicks are written by many requests at once. On SQLite, writers queue for
# the database's single write lock: wait up to 20 s for it instead of 5, and
# use write-ahead logging so pages keep reading while a click is written.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
