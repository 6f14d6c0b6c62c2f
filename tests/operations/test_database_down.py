"""The site with a database that does not answer, run behind a real HTTP server.

The database is really unreachable: PostgreSQL on a port where nothing
listens, or a SQLite file in a folder that does not exist.
"""

import html
import re
import secrets
import urllib.parse
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from tests.servers import fetch, production_env, run_manage, running_site

HOST = {"Host": "injuries.example"}


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def site_without_database(request, tmp_path_factory):
    missing_folder = tmp_path_factory.mktemp("down") / "no-such-folder"
    database_url = {
        "postgresql": "postgres://postgres@127.0.0.1:1/injurysite_unreachable",
        "sqlite": f"sqlite:///{missing_folder / 'site.sqlite3'}",
    }[request.param]
    env = production_env(
        DJANGO_SETTINGS_MODULE="tests.operations.harness_settings",
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="off",
    )
    with running_site(env) as url:
        yield url


def assert_maintenance_page(response):
    assert response.status == 503
    assert response.headers["Retry-After"] == "60"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Security-Policy" in response.headers
    assert "<h1>Back in a few minutes</h1>" in response.text
    assert '<header class="site-header"' in response.text
    assert '<link rel="stylesheet" href="/static/css/site.css">' in response.text
    assert "Recent Articles" not in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "path",
    ["/", "/runners-knee/", "/are-you-prone-to-running-injuries/", "/no/such/page/"],
    ids=["home", "article", "hub", "unknown address"],
)
def test_pages_that_need_the_database_answer_503_with_the_maintenance_page(
    site_without_database, path
):
    assert_maintenance_page(fetch(site_without_database + path, headers=HOST))


def test_healthz_answers_503_without_the_database(site_without_database):
    response = fetch(site_without_database + "/healthz", headers=HOST)
    assert (response.status, response.text) == (503, "database unavailable\n")
    assert "no-store" in response.headers["Cache-Control"]


def test_what_needs_no_database_is_still_served(site_without_database):
    assert fetch(site_without_database + "/robots.txt", headers=HOST).status == 200
    assert fetch(site_without_database + "/static/css/site.css", headers=HOST).status == 200


def post(url, fields):
    token = secrets.token_hex(16)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    headers = {
        **HOST,
        "Cookie": f"csrftoken={token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return fetch(url, data=body, headers=headers)


def test_a_form_posted_while_the_database_is_down_is_shown_again_with_the_text_kept(
    site_without_database,
):
    text = "My knee hurts going downstairs.\nIs that <runner's knee> & what helps?"
    response = post(
        site_without_database + "/test/note/",
        {"name": "Ann O'Neill", "email": "ann@example.com", "text": text},
    )
    assert_maintenance_page(response)
    page = response.text
    assert "What you sent has not been saved yet" in page
    assert '<form method="post" action="/test/note/">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert re.search(r'<input type="text" name="name" value="Ann O&#x27;Neill"', page)
    assert re.search(r'<input type="email" name="email" value="ann@example.com"', page)
    kept = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(kept) == text
    assert "<runner's knee>" not in page


def test_a_view_without_its_own_form_gets_the_posted_fields_back_but_never_a_password(
    site_without_database,
):
    response = post(
        site_without_database + "/test/anything/",
        {
            "message": "Line one\nLine two",
            "password": "s3cret-value",
            "new_password1": "s3cret-too",
        },
    )
    assert_maintenance_page(response)
    assert re.search(
        r'<textarea name="message"[^>]*>\n?Line one\nLine two</textarea>', response.text
    )
    assert "s3cret" not in response.text
    assert "password" not in response.text.lower()


def test_an_admin_sign_in_while_the_database_is_down_echoes_nothing(site_without_database):
    response = post(
        site_without_database + "/admin/login/",
        {"username": "admin", "password": "s3cret-value"},
    )
    assert_maintenance_page(response)
    assert 'method="post"' not in response.text
    assert "s3cret" not in response.text


@contextmanager
def scratch_postgresql_database():
    """A new PostgreSQL database on the test server, and a switch to refuse connections to it."""
    params = connection.settings_dict if connection.vendor == "postgresql" else {}
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or "5432"
    user, password = params.get("USER") or "postgres", params.get("PASSWORD") or ""
    name = f"injurysite_outage_{secrets.token_hex(4)}"
    admin = psycopg.connect(
        host=host, port=port, user=user, password=password, dbname="postgres", autocommit=True
    )

    def set_available(available):
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {str(available).lower()}")
        if not available:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
            )

    admin.execute(f"CREATE DATABASE {name}")
    try:
        credentials = f"{user}:{password}@" if password else f"{user}@"
        yield f"postgres://{credentials}{host}:{port}/{name}", set_available
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@contextmanager
def scratch_sqlite_database(folder):
    """A SQLite file, and a switch that puts a folder where the file was (it cannot be opened)."""
    path, aside = folder / "site.sqlite3", folder / "site.sqlite3.aside"

    def set_available(available):
        if available:
            path.rmdir()
            aside.rename(path)
        else:
            path.rename(aside)
            path.mkdir()

    yield f"sqlite:///{path}", set_available


def test_the_site_answers_503_during_an_outage_and_recovers_by_itself(tmp_path):
    """The database goes away under a running site, then comes back, on this run's database kind."""
    if connection.vendor == "postgresql":
        scratch, extra = scratch_postgresql_database(), {}
    else:
        # SQLite has no server to stop: each request opens the file, which then cannot be found.
        scratch, extra = scratch_sqlite_database(tmp_path), {"DJANGO_CONN_MAX_AGE": "0"}
    with scratch as (database_url, set_available):
        env = production_env(
            DJANGO_SETTINGS_MODULE="tests.operations.harness_settings",
            DATABASE_URL=database_url,
            MEDIA_ROOT=tmp_path / "media",
            DJANGO_SECURE_SSL_REDIRECT="off",
            **extra,
        )
        run_manage("migrate", "--noinput", env=env)
        run_manage("load_demo", env=env)
        with running_site(env) as url:
            assert fetch(url + "/runners-knee/", headers=HOST).status == 200
            assert fetch(url + "/healthz", headers=HOST).status == 200

            set_available(False)
            # The page a reader already fetched is still served from the page
            # cache; one nobody has fetched since the outage began needs the
            # database and gets the maintenance page.
            cached = fetch(url + "/runners-knee/", headers=HOST)
            assert (cached.status, cached.headers["X-Page-Cache"]) == (200, "hit")
            assert_maintenance_page(fetch(url + "/it-band-syndrome/", headers=HOST))
            assert fetch(url + "/healthz", headers=HOST).status == 503

            set_available(True)
            assert fetch(url + "/runners-knee/", headers=HOST).status == 200
            assert fetch(url + "/healthz", headers=HOST).text == "ok\n"


def test_a_comment_posted_while_the_database_is_down_answers_503_with_the_text_kept(
    site_without_database,
):
    text = "Ice helped me.\nSo did <b>rest</b> & patience."
    response = fetch(
        site_without_database + "/comments/post/1/",
        data=urllib.parse.urlencode(
            {"name": "Ann", "email": "ann@example.com", "website": "", "text": text, "token": "t"}
        ).encode(),
        headers={
            **HOST,
            "Origin": "https://injuries.example",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert_maintenance_page(response)
    page = response.text
    assert '<form method="post" action="/comments/post/1/">' in page
    assert re.search(r'<input type="text" name="name" value="Ann"', page)
    kept = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(kept) == text
    assert "<b>rest</b>" not in page
