"""Settings for injurysite, read from the environment.

Development defaults are safe to run on a laptop; with DJANGO_DEBUG off the
site refuses to start without the secrets a public deployment needs. Every
variable read here is listed, with its default, in the README's Configuration
table (tests/test_settings_environment.py keeps the two in step).

Topics, in order: the site, articles and the editor, the database, caching,
comments, affiliate links, security, e-mail, deployment and logging.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# ---------------------------------------------------------------------------
# Reading the environment: one typed reader per kind of value, each call
# naming its variable and its one default. A variable that is unset keeps the
# default; so does an empty boolean. Booleans are true for 1, true, yes or on
# (any case), false for anything else. Lists are comma-separated; spaces
# around items and empty items are dropped. Values are taken as written (no
# "$OTHER" expansion), so a password may start with "$".
# ---------------------------------------------------------------------------


def env_str(name, default):
    return os.environ.get(name, default)


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_float(name, default):
    return float(os.environ.get(name, default))


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


BASE_DIR = Path(__file__).resolve().parent.parent

# Development mode. Many defaults below follow it: off, the site is a
# production one (HTTPS only, secrets required, hashed static files).
DEBUG = env_bool("DJANGO_DEBUG", True)


# ---------------------------------------------------------------------------
# The site: its name and address, time zone and language, the applications
# and middleware it runs, templates, static files and uploaded media.
# ---------------------------------------------------------------------------

# The site's own identity, shown in the header, footer and feed.
SITE_NAME = env_str("SITE_NAME", "Running Injury Clinic")
SITE_TAGLINE = env_str(
    "SITE_TAGLINE", "Plain answers about running injuries, recovery and getting back out there."
)

# The public address of the site, e.g. https://www.example.org, used for
# canonical links, Open Graph tags, the sitemap, robots.txt, the feed and
# links in e-mails. Empty: the address each request came to (and, in e-mails,
# the development server's; check comments.W001 says so under --deploy).
SITE_URL = env_str("SITE_URL", "").rstrip("/")
SITE_ID = 1

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
# The site and its admin are in English only. With the translation machinery
# off, every date, number and {% trans %} reads English directly: the same
# output, and about 5 % less CPU per rendered page (the active language was
# looked up for each value shown).
USE_I18N = False
USE_TZ = True

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
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "simple_history",
    "ckeditor",
    "ckeditor_uploader",
    "articles",
    "comments",
    "affiliates",
    "pagecache",
    "moving",
    "csp",
    "axes",
    "injurysite",
]

MIDDLEWARE = [
    # First, so that a cached page skips all the others (see "Caching").
    "pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "injurysite.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "injurysite.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers only where the page would be a 404: an old address (articles/redirects.py).
    "articles.middleware.RedirectFallbackMiddleware",
    # Records which staff user made each change kept in an article's history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # The 503 page when the database does not answer (see "Deployment").
    "core.maintenance.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks, so it sees the login view's outcome first.
    "axes.middleware.AxesMiddleware",
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
                "pagecache.context_processors.fragments",
            ],
            # {% url %} with its answers remembered (core.urls).
            "builtins": ["core.template_urls"],
        },
    },
]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", BASE_DIR / "media"))

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

# Uploaded media is served by Django unless a front server (nginx) does it.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)


# ---------------------------------------------------------------------------
# Articles and the editor: listings, search, the feed, CKEditor, uploaded
# images and what an article body may contain.
# ---------------------------------------------------------------------------

# Recent Articles: how many, and how long an excerpt may grow before it is cut.
RECENT_ARTICLES_COUNT = 10
EXCERPT_LENGTH = 200

# A category hub lists this many articles per page, newest first; the home page
# lists this many of each category's newest articles.
HUB_PAGE_SIZE = 30
HOME_ARTICLES_PER_CATEGORY = 8

# Site search: results per page, and the longest query accepted.
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_QUERY_LENGTH = 100
# A search ranks and counts at most this many matching articles, the newest
# ones; the results page says when there were more.
SEARCH_MAX_MATCHES = env_int("SEARCH_MAX_MATCHES", 1000)

# The RSS feeds carry this many of the newest articles (/feed/, /<hub>/feed/)
# and comments (/comments/feed/, /<article>/comments/feed/).
FEED_ARTICLES_COUNT = 20
FEED_COMMENTS_COUNT = 20

# "Was this page helpful?" answers one reader address may send per period
# (seconds); more are refused with 429 and the typed comment kept.
HELPFUL_RATE_LIMIT = env_int("HELPFUL_RATE_LIMIT", 10)
HELPFUL_RATE_LIMIT_PERIOD = env_int("HELPFUL_RATE_LIMIT_PERIOD", 3600)

# Drafts in the admin (articles/drafts.py, static/js/autosave.js): the change
# form saves what an editor types this often while it changes, and tells the
# site this often that it is still open; another editor counts as "also
# editing" for this long after their form last said so. A draft or autosave
# larger than DRAFT_MAX_BYTES is refused.
DRAFT_AUTOSAVE_SECONDS = 30
DRAFT_HEARTBEAT_SECONDS = 30
DRAFT_PRESENCE_SECONDS = 5 * 60
DRAFT_MAX_BYTES = 2 * 1024 * 1024

# Thumbnails for listings, made once with Pillow when an article is saved.
THUMBNAIL_SIZE = (160, 120)

# Widths of the resized copies (WebP and the original format) made once for
# each image in an article body; wider originals are scaled down to the largest.
IMAGE_RENDITION_WIDTHS = (480, 800, 1200)

# Upload limits for CKEditor images and article images (bytes, and width x
# height in pixels: a small file can still decode to gigabytes of pixels).
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env_int("IMAGE_UPLOAD_MAX_PIXELS", 40_000_000)

# The only hosts an iframe in an article may load from (video players).
SANITIZE_IFRAME_HOSTS = env_list(
    "SANITIZE_IFRAME_HOSTS", ["www.youtube-nocookie.com", "player.vimeo.com"]
)

# CKEditor 4 (django-ckeditor). The toolbar follows the source page: paragraph
# and two heading levels, bold, italic, lists, links, images, quotes, the
# "Note" call-out style (p.note), undo/redo and the HTML source view. Content
# the toolbar cannot make is dropped by CKEditor's own filter while editing,
# and by articles/sanitize.py when it is saved.
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Styles"],
            ["Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink", "Image"],
            ["Undo", "Redo"],
            ["Source"],
        ],
        "format_tags": "p;h2;h3",
        "stylesSet": [
            {"name": "Note call-out", "element": "p", "attributes": {"class": "note"}},
            {"name": "Decorative image", "element": "img", "attributes": {"class": "decorative"}},
        ],
        # Paste or drop an image to upload it, as well as the image dialog's Upload tab.
        "extraPlugins": "uploadimage",
        # Both would reach other hosts: PDF export is a cloud service, and the
        # version check asks the vendor's server for news of CKEditor 4.
        "removePlugins": "exportpdf",
        "versionCheck": False,
        "image_previewText": " ",
        "height": 420,
        "width": "100%",
    },
}
CKEDITOR_UPLOAD_PATH = "uploads/"
# Uploads go to uploads/YYYY/MM/DD/ under random names (articles.uploads).
CKEDITOR_RESTRICT_BY_DATE = True
CKEDITOR_FILENAME_GENERATOR = "articles.uploads.random_filename"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
# Small previews for the "Browse Server" window, made once per upload in the
# upload's own format (django-ckeditor's own backend writes JPEG under any name).
CKEDITOR_IMAGE_BACKEND = "articles.uploads.PreviewBackend"
CKEDITOR_BROWSE_SHOW_DIRS = True

SILENCED_SYSTEM_CHECKS = [
    # ckeditor.W001 warns that django-ckeditor bundles the end-of-life
    # CKEditor 4 (published XSS advisories, e.g. CVE-2024-24815). The client
    # keeps that editor; what contains the risk: only staff reach it; every
    # rich-text field is cleaned by nh3 against an allow-list on save
    # (articles/sanitize.py), and templates mark only that stored, cleaned
    # HTML safe, so nothing the editor produces can carry script to a reader;
    # its upload URL is wrapped in CSRF protection and staff_member_required,
    # and accepts only images that Pillow has checked (articles/uploads.py).
    # The README's Security section says the same and names maintained
    # editors to move to.
    "ckeditor.W001",
]


# ---------------------------------------------------------------------------
# The database: SQLite in development, PostgreSQL in production, and how
# connections are kept.
# ---------------------------------------------------------------------------

# Unset: a SQLite file in the project folder. postgres://user@host:port/name
# selects PostgreSQL through psycopg 3. Each gunicorn sync worker keeps one
# persistent connection (DJANGO_CONN_MAX_AGE, with health checks), opened on
# its first request. psycopg's pool (Django 5.2: OPTIONS {"pool": True},
# package psycopg-pool) is not used: a sync worker serves one request at a
# time, so a persistent connection already is a pool of one, without the
# pool's locking; a pool pays off with threaded workers or ASGI, which this
# site does not use.
_database = dj_database_url.parse(
    env_str("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    conn_health_checks=True,
)
# Affiliate clicks are written by many requests at once. On SQLite, writers
# queue for the database's single write lock: wait up to 20 s for it instead
# of 5, and use write-ahead logging so pages keep reading while a click is
# written. Transactions begin IMMEDIATE (Django 5.1+): one that read first and
# then wrote (an admin save) could otherwise fail at once with "database is
# locked" when another request wrote in between (an editor's autosave), since
# SQLite cannot wait its way out of that; taking the write lock at BEGIN
# makes it wait its turn like any writer.
_sqlite_options = {
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;",
    "transaction_mode": "IMMEDIATE",
}
DATABASES = {
    "default": {
        **_database,
        **(
            {"OPTIONS": {**_database.get("OPTIONS", {}), **_sqlite_options}}
            if _database["ENGINE"] == "django.db.backends.sqlite3"
            else {}
        ),
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# ---------------------------------------------------------------------------
# Caching: the cache framework (local memory or a shared Redis), the
# whole-page cache for anonymous readers and the cached page fragments.
# ---------------------------------------------------------------------------

# Unset: each process keeps its own cache in local memory, right for one
# process (development, tests). Several processes or app servers must share
# one cache, or a change saved through one would leave the others' cached pages
# stale until they expire: set REDIS_URL (redis://host:port/db) in production.
REDIS_URL = env_str("REDIS_URL", "")
# Put in front of every cache key, so several sites (or test runs) can share
# one Redis.
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "injurysite")
CACHES = {
    "default": {
        # Django's RedisCache, reusing its redis-py client (pagecache/backends.py).
        "BACKEND": "pagecache.backends.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        # A Redis that is down or does not answer is given up on fast, then
        # left alone for RETRY_AFTER seconds: the site goes on without it.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        "RETRY_AFTER": 5,
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": CACHE_KEY_PREFIX,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# The whole-page cache for anonymous readers (pagecache/), first
# in MIDDLEWARE.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# Parts that are the same on every page (Recent Articles, the category
# navigation) are kept in the cache too, under the same content version, so
# pages that are rendered (cache misses, logged-in users) skip their queries.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
# Longest a stored page is kept, in seconds. Changes never wait for it (they
# change the content version); it bounds how long unused pages hold memory,
# and how old the comment form in a cached page can be. It is the one setting
# for the longest a page may be cached: deploy/nginx keeps pages far shorter.
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 3600)
# How long a shared proxy (our nginx micro-cache, a CDN) may keep a page without
# asking again (Cache-Control s-maxage). Browsers always revalidate.
PAGE_CACHE_SHARED_MAX_AGE = env_int("PAGE_CACHE_SHARED_MAX_AGE", 5)
# Count the page cache's misses (each cacheable request it renders) in the
# cache, under pagecache.http.MISSES_KEY, for the benchmark's hit ratio
# (bench/warm_cache.py): one more cache write per miss, none per hit.
PAGE_CACHE_COUNT_MISSES = env_bool("PAGE_CACHE_COUNT_MISSES", False)
# Paths never cached: staff pages, previews, counted redirects, POST targets.
PAGE_CACHE_EXCLUDED_PATHS = [
    "/admin/",
    "/ckeditor/",
    "/preview/",
    "/go/",
    "/comments/post/",
    "/comments/unsubscribe/",
    "/healthz",
    MEDIA_URL,
    STATIC_URL,
]
# Query parameters that select a different cacheable page; an address with any
# other parameter is rendered every time (so random query strings cannot fill
# the cache).
PAGE_CACHE_QUERY_PARAMS = ["page"]
# The function the page cache asks for the next moment public pages change by
# themselves (a datetime or None): no cached page or fragment outlives it.
PAGE_CACHE_NEXT_CHANGE = "articles.publishing.next_scheduled_publish"


# ---------------------------------------------------------------------------
# Comments: the self-hosted comment system, its spam guards and moderation.
# Its e-mail goes through the "E-mail" settings below.
# ---------------------------------------------------------------------------

# The comment form carries the time its page was rendered, signed. A post
# sooner than the minimum is a robot's; a token older than the maximum (or
# forged) is refused as spam. The maximum is the longest a page is cached plus
# two days of reading and writing time; check comments.E001 keeps it longer
# than any cached copy of a page lives.
COMMENTS_MIN_SUBMIT_SECONDS = env_int("COMMENTS_MIN_SUBMIT_SECONDS", 3)
COMMENTS_FORM_MAX_AGE_SECONDS = env_int(
    "COMMENTS_FORM_MAX_AGE_SECONDS", PAGE_CACHE_TIMEOUT + 2 * 24 * 3600
)

# Comments close this many days after an article is published (0: never).
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)

# Posts allowed from one IP address per period (in seconds); more get HTTP 429.
# This and the four rules below are only a new site's first values: the owner
# then edits them in the admin (comments.models.CommentRules).
# Counted in the default cache, so every process must share it (Redis) in
# production for the limit to hold across processes. The address (also the one
# stored with the comment) is core.proxies.client_ip's, driven by
# TRUSTED_PROXY_COUNT in the security section.
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5)
COMMENTS_RATE_LIMIT_PERIOD = env_int("COMMENTS_RATE_LIMIT_PERIOD", 60)

# Comments shown on one page under an article (newest page first, links to
# older ones), so a very long discussion costs one page of work.
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)

# A comment with more links than this is held for moderation.
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)

# Words or phrases (comma-separated, case-insensitive, whole words): one from
# the moderation list holds a comment as pending, one from the block list
# stores it as spam. Name, e-mail, website, text, IP and browser are checked.
COMMENTS_MODERATION_WORDS = env_list("COMMENTS_MODERATION_WORDS", [])
COMMENTS_BLOCK_WORDS = env_list("COMMENTS_BLOCK_WORDS", [])

# Approve at once a comment from an e-mail address that already has an
# approved comment (like WordPress); everything else waits for a moderator.
COMMENTS_AUTO_APPROVE_KNOWN_EMAILS = env_bool("COMMENTS_AUTO_APPROVE_KNOWN_EMAILS", True)

# Who is e-mailed when a comment waits for moderation (comma-separated).
COMMENTS_MODERATOR_EMAILS = env_list("COMMENTS_MODERATOR_EMAILS", [])


# ---------------------------------------------------------------------------
# Affiliate links: where they may lead, how they are marked and disclosed,
# which clicks count, and the link checker (affiliates.models,
# /go/<slug>/).
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
AFFILIATE_DISCLOSURE_TEXT = env_str(
    "AFFILIATE_DISCLOSURE_TEXT",
    "FTC Disclosure: As an Amazon Associate I earn from qualifying purchases.",
)
AFFILIATE_DISCLOSURE_URL = env_str("AFFILIATE_DISCLOSURE_URL", "/disclosure/")
# Shown right after each affiliate link and under each banner; empty hides it.
AFFILIATE_MARKER_TEXT = env_str("AFFILIATE_MARKER_TEXT", "(affiliate link)")
# manage.py check_affiliate_links: seconds per request, links checked at once,
# and the user agent it announces itself with.
AFFILIATE_CHECK_TIMEOUT = env_float("AFFILIATE_CHECK_TIMEOUT", 10.0)
AFFILIATE_CHECK_WORKERS = env_int("AFFILIATE_CHECK_WORKERS", 4)
AFFILIATE_CHECK_USER_AGENT = env_str("AFFILIATE_CHECK_USER_AGENT", "injurysite-link-checker/1.0")


# ---------------------------------------------------------------------------
# Security: the secret key and host names, HTTPS and HSTS, cookies, response
# headers and Content-Security-Policy, reverse proxies, the sign-in guard
# (django-axes) and the admin's address. The HTTPS settings are on by default
# in production and off in development, so a laptop never redirects to an
# HTTPS it does not have.
# ---------------------------------------------------------------------------

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
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
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off "
        "(the comma-separated host names the site answers to, e.g. www.example.com)."
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Requests over plain HTTP are redirected to HTTPS. Switch off for a local
# production-mode run over plain HTTP. /healthz is left on plain HTTP so a
# load balancer can probe the site directly.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# HSTS: browsers remember to use HTTPS only. Preload only means the header
# carries the flag; submitting the domain to browsers' lists is a separate step.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)

# Session and CSRF cookies only travel over HTTPS; neither is readable by
# JavaScript (the admin and CKEditor never read the CSRF cookie).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = env_bool("DJANGO_CSRF_COOKIE_HTTPONLY", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Headers on every response. X-Frame-Options DENY and nosniff are Django's
# defaults, written out so they are not lost by accident.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)

# Content-Security-Policy (django-csp 4 format). Public pages run no script at
# all and load nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Staff pages (the admin and CKEditor's upload views) start from the same
# policy. CKEditor 4 cannot run under it: its toolbar and dialogs are built
# with inline event handlers and inline styles, so pages that carry the
# editor also allow inline script and style. Nothing else is added, and
# everything still comes from this site only. What contains the risk: only
# staff reach these pages, and every rich-text field is cleaned by nh3 on
# save (see the README's Security section).
CONTENT_SECURITY_POLICY_ADMIN = CONTENT_SECURITY_POLICY
CONTENT_SECURITY_POLICY_EDITOR = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
    }
}

# Behind a reverse proxy (nginx) that terminates HTTPS, the proxy says which
# scheme the reader used in this header and Django trusts it. Only safe when
# the proxy always sets or strips the header: set "off" when Django faces the
# internet directly.
_proxy_ssl_header = env_str(
    "DJANGO_SECURE_PROXY_SSL_HEADER", "off" if DEBUG else "X-Forwarded-Proto"
).strip()
SECURE_PROXY_SSL_HEADER = (
    None
    if _proxy_ssl_header.lower() in {"", "off", "false", "0", "no"}
    else ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
)
# How many reverse proxies append to X-Forwarded-For in front of Django; the
# reader's address is that many entries from the right (0: REMOTE_ADDR).
# core.proxies.client_ip reads it, and it alone gives the reader's
# address to comments, the rate limit, the login guard and the log.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)

# Admin sign-in is guarded by django-axes: after DJANGO_AXES_FAILURE_LIMIT
# failed attempts for one user name from one address, that pair is locked out
# for DJANGO_AXES_COOLOFF_MINUTES. Unlock early with
# `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "core.proxies.client_ip"

# The admin's address, changeable so bots probing /admin/ find nothing.
# Its first part is reserved as a slug as well as "admin".
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin").strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH may not be empty.")


# ---------------------------------------------------------------------------
# E-mail: comment notifications and moderation mail. Printed to the console
# in development, sent by SMTP in production unless DJANGO_EMAIL_BACKEND says
# otherwise. EMAIL_HOST and friends are Django's own SMTP settings. Links in
# e-mails start with SITE_URL.
# ---------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "comments@localhost")


# ---------------------------------------------------------------------------
# Deployment and logging: the WSGI entry point, the page shown while the
# database is down, and the console log. gunicorn's own settings are in
# gunicorn.conf.py.
# ---------------------------------------------------------------------------

WSGI_APPLICATION = "injurysite.wsgi.application"

# When the database does not answer, pages that need it show templates/503.html
# and ask clients to come back after this many seconds.
DATABASE_DOWN_RETRY_AFTER = 60

# Each line starts with the reader's address (core.proxies.client_ip,
# the one source of it) when it is about a request, "[-]" otherwise.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_ip": {"()": "core.proxies.ClientAddressFilter"}},
    "formatters": {
        "reader": {"format": "[%(client_ip)s] %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_ip"],
            "formatter": "reader",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
