"""Two app servers on one database and one Redis, as in production.

Two app servers (gunicorn and granian, the two we ship; two workers each,
production settings) share a database of
the test's own (PostgreSQL when the suite runs on PostgreSQL; on SQLite, one
SQLite file) and Redis. A reader's page is cached through server B; an
editor changes the article in the admin through server A; server B shows the
change on the very next request.
"""

import html
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, closing, contextmanager
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import TEST_REDIS_URL

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "a-long-editor-password"  # noqa: S105


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def own_database(tmp_path):
    """A database URL for this test alone, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'servers.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_servers"
    admin_url = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args):
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


APP_SERVERS = ("granian", "gunicorn")


def app_server_command(kind, env, port):
    """(command, environment) of an app server as shipped: granian through
    deploy/app-server (the default), or gunicorn with gunicorn.conf.py."""
    if kind == "granian":
        return [str(REPO / "deploy" / "app-server")], {
            **env,
            "VENV": str(BIN.parent),
            "GRANIAN_PORT": str(port),
            "GRANIAN_WORKERS": "2",
            # Each request on a line: "[time] address - "GET /path?query HTTP/1.1" status".
            "GRANIAN_LOG_ACCESS_ENABLED": "true",
            "GRANIAN_LOG_ACCESS_FMT": '[%(time)s] %(addr)s - "%(method)s %(path)s?%(query_string)s %(protocol)s" %(status)d',
        }
    return [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }


@contextmanager
def app_server(env, port, log_path, kind="gunicorn"):
    command, env = app_server_command(kind, env, port)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
                    break
                except OSError:
                    if process.poll() is not None:
                        raise RuntimeError(Path(log_path).read_text()) from None
                    import time

                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)


def get(url, opener=None):
    opener = opener or urllib.request.build_opener()
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class FormFields(HTMLParser):
    """The values a browser would send for the first form with method POST."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.textarea, self.select = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form = True
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"file", "submit", "checkbox", "button"}:
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields[attrs["name"]] = attrs.get("value", "on")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def sign_in(base):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    _status, _headers, page = get(f"{base}/admin/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {
        "csrfmiddlewaretoken": token,
        "username": "editor",
        "password": PASSWORD,
        "next": "/admin/",
    }
    request = urllib.request.Request(
        f"{base}/admin/login/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": f"{base}/admin/login/"},
    )
    with opener.open(request, timeout=30) as response:
        assert "/admin/login/" not in response.url, "the editor could not sign in"
    return opener


@pytest.mark.django_db
def test_a_change_saved_through_one_app_server_shows_at_once_through_the_other(
    tmp_path, redis_key_prefix
):
    with ExitStack() as stack:
        database_url = stack.enter_context(own_database(tmp_path))
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "two-servers-test-secret-key-0123456789-abcdefghij",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on 127.0.0.1: no HTTPS redirect, no Secure-only cookies.
            "DJANGO_SECURE_SSL_REDIRECT": "off",
            "DJANGO_SECURE_COOKIES": "off",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "off",
            "SITE_URL": "http://127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": TEST_REDIS_URL,
            "CACHE_KEY_PREFIX": f"{redis_key_prefix}-servers",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(
            env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org"
        )
        manage(env, "collectstatic", "--noinput")
        # One of each app server we ship: granian (the default) and gunicorn.
        server_a = stack.enter_context(app_server(env, free_port(), tmp_path / "a.log"))
        server_b = stack.enter_context(
            app_server(env, free_port(), tmp_path / "b.log", kind="granian")
        )

        pages = ["/runners-knee/", "/running-injuries/", "/"]
        for path in pages:
            get(server_b + path)
            status, headers, body = get(server_b + path)
            assert (status, headers["X-Page-Cache"]) == (200, "hit"), path
            assert "Runner&#x27;s Knee" in body or "Runner's Knee" in body, path

        # WhiteNoise: hashed static names, cached for years, compressed.
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1)
        request = urllib.request.Request(server_b + stylesheet, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
            assert response.headers["Content-Encoding"] == "gzip"

        editor = sign_in(server_a)
        _status, _headers, changelist = get(f"{server_a}/admin/articles/article/?q=runner", editor)
        change_url = re.search(
            r'href="(/admin/articles/article/\d+/change/[^"]*)"', changelist
        ).group(1)
        _status, _headers, form_page = get(server_a + html.unescape(change_url), editor)
        form = FormFields()
        form.feed(form_page)
        form.fields["title"] = "Runner's Knee, Explained Again"
        request = urllib.request.Request(
            server_a + html.unescape(change_url),
            data=urllib.parse.urlencode({**form.fields, "_publish": "Publish changes"}).encode(),
            headers={"Referer": server_a + change_url},
        )
        with editor.open(request, timeout=30) as response:
            # Saved: the admin goes back to the (filtered) list of articles.
            assert urllib.parse.urlsplit(response.url).path == "/admin/articles/article/"

        for path in pages:
            status, headers, body = get(server_b + path)
            assert status == 200, path
            assert "Runner&#x27;s Knee, Explained Again" in body, path
            assert headers["X-Page-Cache"] == "miss", path

        # A moderator approves the demo's pending comment through A: B's
        # cached article page shows it on the very next request.
        pending_text = "Does running on a treadmill count as a gentler return"
        _status, _headers, body = get(server_b + "/runners-knee/")
        assert pending_text not in body
        _status, _headers, queue = get(
            f"{server_a}/admin/comments/comment/?status__exact=pending", editor
        )
        selected = re.findall(r'name="_selected_action" value="(\d+)"', queue)
        assert len(selected) == 1
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue).group(1)
        request = urllib.request.Request(
            f"{server_a}/admin/comments/comment/?status__exact=pending",
            data=urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "action": "approve",
                    "_selected_action": selected,
                    "index": 0,
                },
                doseq=True,
            ).encode(),
            headers={"Referer": f"{server_a}/admin/comments/comment/"},
        )
        with editor.open(request, timeout=30) as response:
            assert response.status == 200
        status, headers, body = get(server_b + "/runners-knee/")
        assert (status, headers["X-Page-Cache"]) == (200, "miss")
        assert pending_text in body
