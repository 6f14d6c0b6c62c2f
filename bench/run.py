"""The benchmark, from one command (`make bench`, or with options):

    .venv/bin/python bench/run.py --articles 100 [--comments 0] [--duration 10]

1. loads a synthetic archive of the given size (manage.py load_archive) into
   PostgreSQL (BENCH_DATABASE_URL; SQLite with --sqlite);
2. starts gunicorn with production settings on 127.0.0.1 (after collectstatic);
3. drives each URL with wrk at 16 connections for a fixed time: home, hub,
   article with the page cache off, article from the page cache, search,
   the /go/ redirect and a comment POST (each skipped, with a note, while its
   URL does not exist yet);
4. times nginx serving the article's saved bytes as a static file, and the
   same article behind our deploy/nginx configuration (micro-cache);
5. runs the peers in the same run: a minimal plain Django view (bench/peers/
   plain), and Wagtail (its own venv, bench/.venv-wagtail), uncached and
   behind Django's cache middleware;
and writes bench/results/latest.md and latest.json (requests/s, p50, p99, the
ratios to the targets), history.json and the chart p50-by-archive-size.png.

Installs what it needs (Debian's wrk and nginx, the two venvs) on first use.
One size takes about 5 minutes on 2 cores plus the archive load.
"""

import argparse
import contextlib
import datetime
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
import servers  # noqa: E402
import warm_cache  # noqa: E402
from servers import (  # noqa: E402
    APP_SERVERS,
    BENCH,
    REPO,
    TMP,
    app_server,
    fetch,
    gunicorn,
    nginx,
    nginx_config,
)

PYTHON = REPO / ".venv" / "bin" / "python"
BENCH_PYTHON = BENCH / ".venv" / "bin" / "python"
WAGTAIL_PYTHON = BENCH / ".venv-wagtail" / "bin" / "python"
WAGTAIL_DIR = BENCH / "peers" / "wagtail_site"
PORTS = {
    "cached": 18701,
    "uncached": 18702,
    "bare": 18703,
    "static": 18710,
    "site": 18711,
    "plain": 18720,
    "wagtail": 18721,
    "wagtail_cached": 18722,
    "floor": 18730,
    # Our site under the other app servers (gunicorn's sync workers use the ports above).
    **{
        f"{page}_{kind}": 18740 + 2 * number + offset
        for number, kind in enumerate(APP_SERVERS[1:])
        for offset, page in enumerate(("cached", "uncached"))
    },
}
SHIPPED_APP_SERVER = "granian"  # deploy/app-server
APP_SERVER_LABELS = {
    "gunicorn": "gunicorn sync",
    "gthread": "gunicorn gthread (4 threads)",
    "granian": "granian, as shipped",
    "uvicorn": "uvicorn, ASGI",
}
ARTICLE_SLUG = "archive-1-runners-knee"  # the newest synthetic article: about 30 KB of HTML
# The second newest, given DISCUSSED_COMMENTS approved comments (one page of
# them) for the row of an article with a discussion under it.
DISCUSSED_PREFIX = "archive-2-"
DISCUSSED_COMMENTS = 50
GO_SLUG = "archive-knee-strap"  # the affiliate link load_archive makes
COMPRESSED = "gzip, deflate, br"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sh(command, *, env=None, cwd=REPO, timeout=3600, quiet=False):
    result = subprocess.run(  # noqa: S603
        command,
        env=env,
        cwd=cwd,
        timeout=timeout,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
    )
    if result.returncode:
        raise SystemExit(
            f"failed ({result.returncode}): {' '.join(map(str, command))}\n{result.stdout or ''}"
        )
    return result.stdout


def ensure_tools():
    missing = [name for name in ("wrk", "nginx") if not shutil.which(name)]
    if missing:
        log(f"installing {' '.join(missing)} from Debian")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        sh([*sudo, "apt-get", "update", "-qq"])
        sh(
            [
                *sudo,
                "env",
                "DEBIAN_FRONTEND=noninteractive",
                "apt-get",
                "install",
                "-y",
                "-qq",
                *missing,
            ]
        )
    if not PYTHON.exists():
        sh(["make", ".venv/bin/.installed"])
    for venv, requirements in [
        (BENCH / ".venv", BENCH / "requirements.txt"),
        (BENCH / ".venv-wagtail", WAGTAIL_DIR / "requirements.txt"),
    ]:
        marker = venv / ".installed"
        if not marker.exists() or marker.stat().st_mtime < requirements.stat().st_mtime:
            log(f"preparing {venv.relative_to(REPO)}")
            sh([sys.executable, "-m", "venv", str(venv)])
            sh([str(venv / "bin" / "pip"), "install", "-q", "-r", str(requirements)], quiet=True)
            marker.touch()


_DATABASE_SCRIPT = (
    "import psycopg, sys\n"
    "base, name, action = sys.argv[1:4]\n"
    "with psycopg.connect(base + '/postgres', autocommit=True) as c:\n"
    "    if action in ('fresh', 'drop'): c.execute(f'DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')\n"
    "    if action == 'drop': sys.exit()\n"
    "    if not c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone():\n"
    "        c.execute(f'CREATE DATABASE \"{name}\"')\n"
)


def create_database(url, *, fresh=False):
    """Create the PostgreSQL database `url` names; with `fresh`, drop it first."""
    base, name = url.rsplit("/", 1)
    sh([str(PYTHON), "-c", _DATABASE_SCRIPT, base, name, "fresh" if fresh else "keep"])


def drop_database(url):
    base, name = url.rsplit("/", 1)
    sh([str(PYTHON), "-c", _DATABASE_SCRIPT, base, name, "drop"])


def database_urls(args):
    if args.sqlite:
        return (
            f"sqlite:///{TMP / 'bench.sqlite3'}",
            f"sqlite:///{TMP / 'wagtail.sqlite3'}",
            "sqlite",
        )
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/injurysite_bench"
    )
    wagtail = f"{url}_wagtail"
    create_database(url)
    create_database(wagtail, fresh=True)
    return url, wagtail, "postgresql"


def site_env(database_url, *, redis_url, cache_prefix=None, site_url="http://127.0.0.1"):
    """Production settings for a server on plain HTTP at 127.0.0.1: the
    HTTPS-only settings are off (no redirect, no secure-only cookies, no HSTS)
    and there is no proxy in front, so the client's address is the connection's."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "off",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "off",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "off",
        "DJANGO_TRUSTED_PROXY_COUNT": "0",
        "SITE_URL": site_url,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": cache_prefix or f"injurysite-bench-{os.getpid()}",
        "MEDIA_ROOT": str(TMP / "media"),
        "STATIC_ROOT": str(TMP / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "GUNICORN_LOG_LEVEL": "warning",
        # The comment POST row posts thousands of comments a second from one
        # address with a fresh token: lift the rate limit and the minimum
        # writing time for the bench servers only.
        "COMMENTS_RATE_LIMIT": "1000000",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
    }


_DISCUSSED_SCRIPT = """
import random
from datetime import timedelta
from django.utils import timezone
from articles.models import Article
from comments.management.commands.load_archive import _comment
from comments.models import Comment

article = Article.objects.filter(slug__startswith=PREFIX).get()
missing = WANTED - Comment.objects.approved().filter(article=article).count()
rng, now = random.Random(50), timezone.now()
Comment.objects.bulk_create(
    _comment(rng, article.pk, article.published_at, now - timedelta(minutes=5), parent_id=None, number=n)
    for n in range(max(0, missing))
)
print(article.get_absolute_url())
"""


def discussed_article(env):
    """The address of the archive article with DISCUSSED_COMMENTS approved
    comments, adding what it lacks (so --skip-load runs get it too)."""
    script = _DISCUSSED_SCRIPT.replace("PREFIX", repr(DISCUSSED_PREFIX)).replace(
        "WANTED", str(DISCUSSED_COMMENTS)
    )
    output = sh([str(PYTHON), "manage.py", "shell", "-c", script], env=env, quiet=True)
    return output.strip().splitlines()[-1]


def prepare_site(env, args):
    manage = [str(PYTHON), "manage.py"]
    log("migrating")
    sh([*manage, "migrate", "--noinput", "-v0"], env=env)
    log(f"loading the archive: {args.articles} articles, {args.comments} comments")
    started = time.monotonic()
    sh(
        [
            *manage,
            "load_archive",
            "--articles",
            str(args.articles),
            "--comments",
            str(args.comments),
        ],
        env=env,
    )
    load_seconds = round(time.monotonic() - started, 1)
    log("collectstatic")
    sh([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    sh(
        [
            *manage,
            "shell",
            "-c",
            (
                "from django.contrib.auth.models import User\n"
                "u, _ = User.objects.get_or_create(username='bench', defaults={'is_staff': True, 'is_superuser': True})\n"
                "u.set_password('bench-password'); u.save()"
            ),
        ],
        env=env,
    )
    return load_seconds


class Row:
    """One line of the table: a URL on one server, checked once, then loaded in rounds."""

    def __init__(
        self, key, name, url, *, note="", expect=None, post_body=None, headers=None, status=200
    ):
        self.key, self.name, self.url, self.note = key, name, url, note
        self.expect, self.post_body, self.rounds, self.skip = expect, post_body, [], None
        self.headers, self.status = headers or {}, status

    @property
    def path(self):
        return "/" + self.url.split("/", 3)[3]

    def check(self):
        """Warm the server and its caches; a URL that does not exist yet is skipped."""
        for number in range(4):
            data = None
            if self.post_body is not None:
                data = self.post_body.replace(
                    "{n}", f"check-{secrets.token_hex(4)}-{number}"
                ).encode()
            try:
                status, headers, _body = fetch(self.url, headers=self.headers, data=data)
            except OSError as error:  # a page too slow for the run is a finding, not a crash
                self.skip = f"skipped: no answer within 30 s ({error})"
                return
        if status != self.status:
            self.skip = f"skipped: answered {status}, not {self.status}"
        elif self.expect:
            header, wanted = self.expect
            # A cache that is still filling (nginx's UPDATING) gets a few seconds.
            for _ in range(20):
                if headers.get(header, "").lower() == wanted.lower():
                    break
                time.sleep(0.25)
                status, headers, _body = fetch(self.url, headers=self.headers)
            else:
                raise SystemExit(
                    f"{self.name}: expected {header}: {wanted}, got {headers.get(header)!r}"
                )

    def result(self):
        row = {
            "key": self.key,
            "name": self.name,
            "path": self.path,
            "note": self.skip or self.note,
        }
        if self.rounds:
            # The round with the median requests/s: other work on the machine
            # hits single rounds, and the rows' rounds are interleaved.
            median = sorted(self.rounds, key=lambda r: r["rps"])[len(self.rounds) // 2]
            row.update(median)
            row["rounds_rps"] = [r["rps"] for r in self.rounds]
            row["failed_total"] = sum(r["failed"] for r in self.rounds)
        return row


def skipped_row(key, name, path, note):
    row = Row(key, name, "http://127.0.0.1:0" + path)
    row.skip = f"skipped: {note}"
    return row


def prepare_wagtail(env, wagtail_url):
    """The Wagtail peer's database and pages, with the benchmark article's body."""
    log("peer: preparing Wagtail")
    wagtail_env = {
        **env,
        "DATABASE_URL": wagtail_url,
        "STATIC_ROOT": str(TMP / "wagtail-static"),
        "MEDIA_ROOT": str(TMP / "wagtail-media"),
        "DJANGO_SETTINGS_MODULE": "wagtail_bench.settings",
    }
    manage = [str(WAGTAIL_PYTHON), "manage.py"]
    sh([*manage, "makemigrations", "benchpages", "-v0"], env=wagtail_env, cwd=WAGTAIL_DIR)
    sh([*manage, "migrate", "--noinput", "-v0"], env=wagtail_env, cwd=WAGTAIL_DIR)
    body_file = TMP / "article-body.html"
    sh(
        [
            str(PYTHON),
            "manage.py",
            "shell",
            "-c",
            (
                "from articles.models import Article; from pathlib import Path\n"
                f"Path({str(body_file)!r}).write_text(Article.objects.get(slug={ARTICLE_SLUG!r}).body)"
            ),
        ],
        env=env,
        quiet=True,
    )
    sh(
        [
            *manage,
            "bench_setup",
            "--body-file",
            str(body_file),
            "--title",
            "Runner's Knee",
            "--summary",
            "What runner's knee is, why it starts and how to get back to running.",
        ],
        env=wagtail_env,
        cwd=WAGTAIL_DIR,
        quiet=True,
    )
    return wagtail_env


def comment_post_body(page_url):
    """(form action URL, urlencoded fields) of a comment on the article at
    `page_url`, with the form token read from the page, so the row measures a
    real submission. "{n}" in the text makes every post unique (report.wrk):
    the same text twice is refused as a duplicate."""
    import html
    import re
    import urllib.parse

    status, _headers, body = fetch(page_url)
    if status != 200:
        raise SystemExit(f"the comment row's article answered {status}")
    page = body.decode()
    # The action may end with the form's own anchor (#comment-form).
    action = re.search(r'<form[^>]+action="(/comments/post/\d+/)(?:#[^"]*)?"', page)
    # The comment form's own token: "Was this page helpful?" has one too.
    token = re.search(r'name="token" value="([^"]*)"', page[page.find('class="comment-form"') :])
    if not action or not token:
        raise SystemExit("the article page has no comment form with a token")
    fields = {
        "name": "Bench Reader",
        "email": "bench.reader@example.com",
        "text": "A benchmark comment, number {n}, about knee pain after long runs.",
        "token": html.unescape(token.group(1)),
        "subject": "",
    }
    base = page_url.split("/", 3)
    return f"{base[0]}//{base[2]}{action.group(1)}", urllib.parse.urlencode(fields).replace(
        "%7Bn%7D", "{n}"
    )


def time_admin(base_url, paths):
    """Sequential timings (ms) of admin change lists for a signed-in superuser."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base_url}/admin/login/"
    page = opener.open(login, timeout=30).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": "bench",
            "password": "bench-password",
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})  # noqa: S310
    opener.open(request, timeout=30).read()  # noqa: S310
    timings = {}
    for name, path in paths.items():
        samples = []
        for _ in range(12):
            started = time.perf_counter()
            try:
                response = opener.open(base_url + path, timeout=30)  # noqa: S310
                response.read()
            except urllib.error.HTTPError as error:
                timings[name] = {"p50_ms": None, "note": f"skipped: answered {error.code}"}
                break
            samples.append((time.perf_counter() - started) * 1000)
        else:
            samples = samples[2:]  # the first two warm the worker
            timings[name] = {
                "p50_ms": round(statistics.median(samples), 1),
                "max_ms": round(max(samples), 1),
            }
    return timings


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--comments", type=int, default=0)
    parser.add_argument(
        "--duration", type=int, default=12, help="seconds of load per row, in all rounds"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all rows")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--skip-load", action="store_true", help="reuse the archive already loaded")
    parser.add_argument(
        "--worked-on-seconds",
        type=int,
        default=90,
        help="length of the row of readers over many pages while a moderator and an editor "
        "work (0 leaves it out)",
    )
    args = parser.parse_args()

    started = time.monotonic()
    TMP.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    database_url, wagtail_url, database = database_urls(args)
    env = site_env(database_url, redis_url=args.redis_url)
    load_seconds = None if args.skip_load else prepare_site(env, args)
    load_before = os.getloadavg()[0]
    workers = int(env.get("GUNICORN_WORKERS", 2 * os.cpu_count() + 1))
    notes = []
    base = "http://127.0.0.1:{}"
    article = f"/{ARTICLE_SLUG}/"
    discussed = discussed_article(env)

    # The article's exact bytes, for nginx's static-file row.
    static_dir = TMP / "nginx" / "static"
    static_dir.mkdir(parents=True, exist_ok=True)

    log("CPU per request, in one process, page cache off")
    cpu_ms = json.loads(
        sh(
            [str(PYTHON), "bench/cpu_per_request.py", ARTICLE_SLUG],
            env={**env, "PAGE_CACHE_ENABLED": "false"},
            quiet=True,
        )
        .strip()
        .splitlines()[-1]
    )
    log(f"CPU ms per request: {cpu_ms}")
    wagtail_env = prepare_wagtail(env, wagtail_url)
    # Misses counted by the server give the worked-on row its hit ratio
    # (bench/warm_cache.py); one cache write per miss, none per hit.
    cached_env = {**env, "PAGE_CACHE_COUNT_MISSES": "true"}
    uncached_env = {**env, "PAGE_CACHE_ENABLED": "false"}
    bare_env = {**uncached_env, "FRAGMENT_CACHE_ENABLED": "false"}
    url = {name: base.format(port) for name, port in PORTS.items()}

    with contextlib.ExitStack() as stack:
        log("starting every server (idle ones cost nothing while another row is loaded)")
        for kind in APP_SERVERS:
            pages = [("cached", cached_env), ("uncached", uncached_env)]
            if kind == "gunicorn":
                pages.append(("bare", bare_env))
            for name, app_env in pages:
                port = PORTS[name if kind == "gunicorn" else f"{name}_{kind}"]
                stack.enter_context(
                    app_server(
                        kind,
                        PYTHON,
                        port=port,
                        env=app_env,
                        workers=workers,
                        log_name=f"{kind}-{name}",
                    )
                )
        stack.enter_context(
            gunicorn(
                PYTHON,
                "bench.peers.plain.wsgi:application",
                port=PORTS["plain"],
                env=env,
                log_name="gunicorn-plain",
            )
        )
        for name, cached in [("wagtail", False), ("wagtail_cached", True)]:
            stack.enter_context(
                gunicorn(
                    WAGTAIL_PYTHON,
                    "wagtail_bench.wsgi:application",
                    port=PORTS[name],
                    cwd=WAGTAIL_DIR,
                    log_name=f"gunicorn-{name}",
                    env={**wagtail_env, "WAGTAIL_CACHE_MIDDLEWARE": str(cached).lower()},
                )
            )
        status, _headers, body = fetch(url["cached"] + article)
        if status != 200:
            raise SystemExit(f"the benchmark article answered {status}")
        (static_dir / "article.html").write_bytes(body)
        fetch(url["cached"] + article, headers={"Accept-Encoding": COMPRESSED})
        status, headers, compressed = fetch(
            url["cached"] + article, headers={"Accept-Encoding": COMPRESSED}
        )
        if headers.get("Content-Encoding") != "br":
            raise SystemExit(
                f"the cached article came as {headers.get('Content-Encoding')!r}, not br"
            )
        (static_dir / "article-br.html").write_bytes(compressed)
        hub_path = "/" + body.decode().split('class="return-to"><a href="/', 1)[1].split('"', 1)[0]
        stack.enter_context(
            gunicorn(
                PYTHON,
                "bench.peers.floor:application",
                port=PORTS["floor"],
                env={**env, "BENCH_FLOOR_FILE": str(static_dir / "article.html")},
                log_name="gunicorn-floor",
            )
        )
        stack.enter_context(
            nginx(
                nginx_config(
                    static_port=PORTS["static"],
                    site_port=PORTS["site"],
                    app_port=PORTS[f"cached_{SHIPPED_APP_SERVER}"],
                    static_file_dir=static_dir,
                    static_root=TMP / "static",
                    media_root=TMP / "media",
                ),
                ports=[PORTS["static"], PORTS["site"]],
            )
        )
        admin = time_admin(
            url["cached"],
            {"articles": "/admin/articles/article/", "comments": "/admin/comments/comment/"},
        )
        post_url, comment_fields = comment_post_body(url["uncached"] + article)
        rows = [
            Row(
                "home",
                "home, page cache off",
                url["uncached"] + "/",
                expect=("X-Page-Cache", "off"),
            ),
            Row("hub", "hub, page cache off", url["uncached"] + hub_path),
            Row(
                "article_uncached",
                "article, page cache off, under gunicorn sync",
                url["uncached"] + article,
                note="article and its comments read from the database; site frame, rendered body and head from the fragment cache",
            ),
            Row(
                "article_bare",
                "article, no cache at all",
                url["bare"] + article,
                note="every query and every template, every request",
            ),
            Row(
                "article_cached",
                "article, from our page cache, under gunicorn sync",
                url["cached"] + article,
                expect=("X-Page-Cache", "hit"),
                note="Redis",
            ),
            *[
                Row(
                    f"article_{page}_{kind}",
                    f"article, {'from our page cache' if page == 'cached' else 'page cache off'}, "
                    f"under {APP_SERVER_LABELS[kind]}",
                    url[f"{page}_{kind}"] + article,
                    expect=("X-Page-Cache", "hit") if page == "cached" else None,
                )
                for kind in APP_SERVERS[1:]
                for page in ("cached", "uncached")
            ],
            Row(
                f"article_{DISCUSSED_COMMENTS}_comments_uncached_{SHIPPED_APP_SERVER}",
                f"article with {DISCUSSED_COMMENTS} comments, page cache off, "
                f"under {APP_SERVER_LABELS[SHIPPED_APP_SERVER]}",
                url[f"uncached_{SHIPPED_APP_SERVER}"] + discussed,
                note="the comment list from the fragment kept under the article's version",
            ),
            Row("search", "search, page cache off", url["uncached"] + "/search/?q=knee"),
            Row(
                "go",
                "/go/ affiliate redirect",
                url["uncached"] + f"/go/{GO_SLUG}/?from={ARTICLE_SLUG}",
                status=302,
                headers={"User-Agent": BROWSER},
                note="302 to the merchant (counted as success); every request records a click",
            ),
            Row(
                "comment_post",
                "comment POST",
                post_url,
                post_body=comment_fields,
                status=302,
                headers={"Origin": url["uncached"]},
                note="a real submission with the page's form token, stored as pending; 302 counts as "
                "success; rate limit lifted for the bench server",
            ),
            Row(
                "nginx_static",
                "nginx: the same bytes as a static file",
                url["static"] + "/article.html",
            ),
            Row(
                "nginx_microcache",
                "article behind deploy/nginx (micro-cache)",
                url["site"] + article,
                expect=("X-Micro-Cache", "HIT"),
            ),
            Row(
                "nginx_static_br",
                "nginx: the app's brotli copy as a static file",
                url["static"] + "/article-br.html",
                headers={"Accept-Encoding": COMPRESSED},
            ),
            Row(
                "nginx_microcache_br",
                "article behind deploy/nginx, Accept-Encoding: gzip, br",
                url["site"] + article,
                expect=("X-Micro-Cache", "HIT"),
                headers={"Accept-Encoding": COMPRESSED},
                note="the page cache's stored brotli copy, kept by nginx's micro-cache per encoding",
            ),
            Row(
                "floor",
                "floor: gunicorn answering the saved bytes, no Django",
                url["floor"] + "/",
                note="the most any Python app could reach under this gunicorn configuration",
            ),
            Row("plain_django", "peer: plain Django view, 3 queries", url["plain"] + article),
            Row("wagtail", "peer: Wagtail page", url["wagtail"] + "/article/"),
            Row(
                "wagtail_cached",
                "peer: Wagtail + Django cache middleware",
                url["wagtail_cached"] + "/article/",
            ),
        ]
        live = [row for row in rows if row.skip is None]
        for row in live:
            row.check()
        live = [row for row in live if row.skip is None]
        seconds = max(2, round(args.duration / args.rounds))
        for number in range(args.rounds):
            log(f"round {number + 1} of {args.rounds}: {len(live)} rows, {seconds} s each")
            # Each round starts one row further on, so no row always follows the same one.
            for row in live[number % len(live) :] + live[: number % len(live)]:
                if row.expect and row.key.startswith("nginx_microcache"):
                    fetch(row.url, headers=row.headers)  # refill the micro-cache if it expired
                row.rounds.append(
                    report.wrk(
                        row.url,
                        duration=seconds,
                        connections=args.connections,
                        post_body=row.post_body,
                        headers=row.headers,
                    )
                )
        for row in rows:
            if row.skip:
                log(f"{row.name}: {row.skip}")
            else:
                r = row.result()
                log(
                    f"{row.name}: {r['rps']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms "
                    f"(rounds: {r['rounds_rps']})"
                )
        rows = [row.result() for row in rows]
        if args.worked_on_seconds:
            pages = warm_cache.article_paths(PYTHON, cached_env, 2000)
            log(
                f"site being worked on: {len(pages)} pages, Zipf popularity, "
                f"{args.worked_on_seconds} s"
            )
            worked_on = warm_cache.measure(
                url[f"cached_{SHIPPED_APP_SERVER}"],
                pages,
                python=PYTHON,
                env=cached_env,
                seconds=args.worked_on_seconds,
                connections=args.connections,
            )
            log(f"site being worked on: {worked_on}")
            rows.append(
                {
                    "key": "worked_on",
                    "name": f"article pages while the site is worked on ({len(pages)} pages, "
                    f"Zipf; a comment approved every 5 s, an article's body corrected every "
                    f"60 s), "
                    f"under {APP_SERVER_LABELS[SHIPPED_APP_SERVER]}",
                    "path": "/<2,000 articles>/",
                    "note": f"page cache hit ratio {worked_on['hit_ratio']}; "
                    f"{worked_on['approved']} approvals, {worked_on['saved']} saves "
                    f"({worked_on['site_wide_saves']} of them site-wide)",
                    "rounds_rps": [worked_on["rps"]],
                    "failed_total": worked_on["failed"],
                    **worked_on,
                }
            )

    run = {
        "articles": args.articles,
        "comments": args.comments,
        "database": database,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": sh(["git", "rev-parse", "--short", "HEAD"], quiet=True).strip(),
        "cores": os.cpu_count(),
        "connections": args.connections,
        "duration": args.duration,
        "rounds": args.rounds,
        "workers": workers,
        "load_before": round(load_before, 2),
        "archive_load_seconds": load_seconds,
        "page_bytes": len((static_dir / "article.html").read_bytes()),
        "total_seconds": None,
    }
    notes.append(
        f"The article page is {run['page_bytes']} bytes; archive loaded in {load_seconds} s."
    )
    notes.append(
        "wrk runs on the same 2 cores as the servers, so every row also pays for the load generator."
    )
    run["cpu_ms"] = cpu_ms
    targets = report.evaluate(rows, admin, report.load_history(), run)
    run["total_seconds"] = round(time.monotonic() - started)
    result = {"run": run, "rows": rows, "admin": admin, "targets": targets, "notes": notes}
    history = report.save(result)
    report.chart(BENCH_PYTHON)
    log(
        f"done in {run['total_seconds']} s: bench/results/latest.md ({len(history)} runs in history)"
    )
    print((report.RESULTS / "latest.md").read_text())


if __name__ == "__main__":
    servers.TMP.mkdir(parents=True, exist_ok=True)
    main()
