"""Readers behind the proxy: gunicorn with production settings on its own, and
the shipped app server (granian, deploy/app-server) behind the shipped
deploy/nginx/injurysite.conf, all on 127.0.0.1.

Every reader keeps an address of their own however the request reaches
Django: their own rate-limit bucket of COMMENTS_RATE_LIMIT posts a minute,
their own address stored with each comment and written in the log. Readers
behind nginx are told apart by the loopback address their connection comes
from (127.0.0.2, 127.0.0.3); straight to gunicorn, by X-Forwarded-For
written the way nginx writes it. The nginx tests also check what the shipped
file does with uploads: media answers that cannot run as a page, and request
bodies too large for any upload refused before they reach Django.
"""

import gzip
import html
import http.client
import os
import re
import subprocess
import time
import urllib.parse
from contextlib import ExitStack, contextmanager
from pathlib import Path

import brotli
import pytest
from django.conf import settings

from tests.conftest import TEST_REDIS_URL
from tests.servers import production_env, run_manage
from tests.test_app_servers import app_server, free_port, manage, own_database

SHIPPED_SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "injurysite.conf"
NGINX = "/usr/sbin/nginx"
HOST = "injuries.example"
ORIGIN = f"http://{HOST}"
MIB = 1024 * 1024
# One tiny PNG, written into MEDIA_ROOT for nginx to serve.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@contextmanager
def shipped_nginx(folder, *, app_port, media_root, static_root):
    """nginx running deploy/nginx/injurysite.conf as shipped, with only its
    ports and paths pointed at this test; yields the port it listens on."""
    port = free_port()
    site = SHIPPED_SITE.read_text()
    replacements = {
        "server 127.0.0.1:8000": f"server 127.0.0.1:{app_port}",
        "listen 80;": f"listen 127.0.0.1:{port};",
        "listen [::]:80;": "",
        "/var/cache/nginx/injurysite": str(folder / "cache"),
        "/srv/injurysite/staticfiles/": f"{static_root}/",
        "/srv/injurysite/media/": f"{media_root}/",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/injurysite.conf no longer contains {old!r}"
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    # As root, nginx's workers would run as "nobody", who may not read the
    # test's folders; the server only listens on 127.0.0.1.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {"".join(f"{name}_temp_path {path};" for name, path in temp.items())}
    include {folder}/site.conf;
}}
"""
    )
    command = [NGINX, "-p", str(folder), "-e", str(folder / "error.log")]
    command += ["-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, redis_key_prefix):
    """One gunicorn with production settings, one nginx in front of it, and
    one published article, for every test here."""
    folder = tmp_path_factory.mktemp("proxy")
    (folder / "nginx").mkdir()
    media_root, static_root = folder / "media", folder / "static"
    with ExitStack() as stack:
        env = production_env(
            DATABASE_URL=stack.enter_context(own_database(folder)),
            # Plain HTTP on 127.0.0.1.
            DJANGO_SECURE_SSL_REDIRECT="off",
            DJANGO_TRUSTED_PROXY_COUNT="1",
            DJANGO_SERVE_MEDIA="false",
            # Posts at once after the page was fetched are taken as a person's.
            COMMENTS_MIN_SUBMIT_SECONDS="0",
            REDIS_URL=TEST_REDIS_URL,
            CACHE_KEY_PREFIX=f"{redis_key_prefix}-proxy",
            MEDIA_ROOT=media_root,
            STATIC_ROOT=static_root,
            GUNICORN_ACCESS_LOG=folder / "access.log",
        )
        # 127.0.0.1 too, for app_server's check that gunicorn is up.
        env["DJANGO_ALLOWED_HOSTS"] = f"{HOST},127.0.0.1"
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        article = run_manage(
            "shell",
            "--no-imports",
            "-c",
            "from tests.factories import ArticleFactory; a = ArticleFactory(); "
            "print(a.pk, a.get_absolute_url())",
            env=env,
        ).stdout.split()
        # gunicorn for the tests that talk to an app server directly; the
        # shipped app server (granian, deploy/app-server) behind nginx.
        app_port, shipped_port = free_port(), free_port()
        stack.enter_context(app_server(env, app_port, folder / "gunicorn.log"))
        stack.enter_context(app_server(env, shipped_port, folder / "granian.log", kind="granian"))
        nginx_port = stack.enter_context(
            shipped_nginx(
                folder / "nginx",
                app_port=shipped_port,
                media_root=media_root,
                static_root=static_root,
            )
        )
        yield {
            "env": env,
            "folder": folder,
            "media_root": media_root,
            "app_port": app_port,
            "nginx_port": nginx_port,
            "article_id": int(article[0]),
            "article_path": article[1],
        }


def send(port, method, path, *, source="127.0.0.1", headers=None, body=None):
    """One request from `source` (a loopback address); (status, headers, body)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def post_comments(site, port, *, source="127.0.0.1", forwarded_for=None, name, count):
    """`count` comments by one reader, each from a freshly fetched article
    page, as a browser posts them; the status of each post."""
    statuses = []
    for number in range(count):
        headers = {"X-Forwarded-For": forwarded_for(number)} if forwarded_for else {}
        _status, _headers, page = send(port, "GET", site["article_path"], source=source)
        # The comment form's own token (the "Was this page helpful?" form has one too).
        form_html = page[page.index(b'class="comment-form"') :]
        token = re.search(rb'name="token" value="([^"]*)"', form_html).group(1).decode()
        form = {
            "name": name,
            "email": f"{name.lower()}@example.com",
            "website": "",
            "subject": "",
            "text": f"{name}'s knee, note {number}.",
            "token": html.unescape(token),
        }
        status, _headers, _body = send(
            port,
            "POST",
            f"/comments/post/{site['article_id']}/",
            source=source,
            headers={
                **headers,
                "Origin": ORIGIN,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=urllib.parse.urlencode(form),
        )
        statuses.append(status)
    return statuses


def stored_addresses(site, name):
    """The address stored with each of `name`'s comments."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from comments.models import Comment; "
        f"print(*Comment.objects.filter(name={name!r}).values_list('ip', flat=True))",
        env=site["env"],
    )
    return result.stdout.split()


def app_log(site, server="gunicorn"):
    return (site["folder"] / f"{server}.log").read_text()


def access_log_with(site, line):
    """The log of the app server behind nginx (granian writes its access log
    there) once it holds `line` (it is written just after the response has
    gone out), or as it is after a few seconds."""
    for _ in range(50):
        log = app_log(site, "granian")
        if line in log:
            break
        time.sleep(0.1)
    return log


def test_each_reader_behind_a_trusted_proxy_has_a_rate_limit_and_an_address_of_their_own(site):
    reader_a, reader_b = "203.0.113.10", "203.0.113.11"
    port = site["app_port"]

    # X-Forwarded-For as the shipped nginx writes it: the reader's address alone.
    a = post_comments(site, port, forwarded_for=lambda n: reader_a, name="Avery", count=6)
    b = post_comments(site, port, forwarded_for=lambda n: reader_b, name="Blake", count=1)

    assert a == [302] * 5 + [429]
    assert b == [302]
    assert stored_addresses(site, "Avery") == [reader_a] * 5
    assert stored_addresses(site, "Blake") == [reader_b]
    # The log names the reader who was refused, not the proxy.
    assert f"[{reader_a}] WARNING django.request: Too Many Requests" in app_log(site)


def test_behind_the_shipped_nginx_each_reader_keeps_their_own_address(site):
    port = site["nginx_port"]

    # Reader A also makes up an X-Forwarded-For of their own each time: nginx
    # replaces it, so it neither frees them from the limit nor is stored.
    a = post_comments(
        site,
        port,
        source="127.0.0.2",
        forwarded_for=lambda n: f"198.51.100.{n + 1}",
        name="Casey",
        count=6,
    )
    b = post_comments(site, port, source="127.0.0.3", name="Devon", count=1)

    assert a == [302] * 5 + [429]
    assert b == [302]
    assert stored_addresses(site, "Casey") == ["127.0.0.2"] * 5
    assert stored_addresses(site, "Devon") == ["127.0.0.3"]
    assert "[127.0.0.2] WARNING django.request: Too Many Requests" in app_log(site, "granian")


def test_an_upload_served_by_the_shipped_nginx_can_only_be_a_picture(site):
    (site["media_root"] / "uploads").mkdir(parents=True, exist_ok=True)
    (site["media_root"] / "uploads" / "dot.png").write_bytes(PNG)

    status, headers, body = send(site["nginx_port"], "GET", "/media/uploads/dot.png")

    assert (status, body) == (200, PNG)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"
    )


def shipped_body_limit():
    size = re.search(r"^\s*client_max_body_size (\d+)m;", SHIPPED_SITE.read_text(), re.M)
    return int(size.group(1)) * MIB


def test_the_shipped_body_limit_fits_the_largest_image_upload_and_its_form():
    assert shipped_body_limit() == settings.IMAGE_UPLOAD_MAX_BYTES + MIB


@pytest.mark.parametrize("size", [1, 100 * MIB], ids=["just-over", "100-MiB"])
def test_a_body_too_large_for_any_upload_is_refused_by_nginx_before_django(site, size):
    size += settings.IMAGE_UPLOAD_MAX_BYTES + MIB
    path = f"/ckeditor/upload/?too-large={size}"
    connection = http.client.HTTPConnection("127.0.0.1", site["nginx_port"], timeout=30)
    try:
        # Only the headers are sent: nginx must answer on them alone.
        connection.putrequest("POST", path, skip_host=True)
        connection.putheader("Host", HOST)
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        response = connection.getresponse()
        status, body = response.status, response.read()
    finally:
        connection.close()
    # A request sent afterwards, once gunicorn has logged it.
    send(site["nginx_port"], "GET", f"/robots.txt?after={size}")
    log = access_log_with(site, f"GET /robots.txt?after={size} HTTP/")

    assert status == 413
    assert b"413 Request Entity Too Large" in body
    assert f"/robots.txt?after={size}" in log
    assert path not in log


def test_the_largest_image_upload_gets_through_nginx_to_django(site):
    boundary = "upload-boundary"
    image = b"\0" * settings.IMAGE_UPLOAD_MAX_BYTES
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="big.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + image
        + f"\r\n--{boundary}--\r\n".encode()
    )
    path = "/ckeditor/upload/?largest"

    status, _headers, _body = send(
        site["nginx_port"],
        "POST",
        path,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        body=body,
    )

    # Django's own answer (no CSRF token), so the upload did reach it.
    assert status == 403
    assert f"POST {path} HTTP/" in access_log_with(site, f"POST {path} HTTP/")


def test_the_shipped_nginx_serves_each_reader_the_stored_copy_in_their_encoding(site):
    """Cached pages leave the app compressed (br for a browser that takes it,
    gzip for one that takes only gzip) and nginx neither compresses them
    again nor hands one reader's encoding to another from its micro-cache."""
    port, path = site["nginx_port"], site["article_path"]
    decoders = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}
    plain = None
    for accept, encoding in (
        ("", None),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br", "br"),
        ("", None),
    ):
        answers = [
            send(port, "GET", path, headers={"Accept-Encoding": accept} if accept else {})
            for _ in range(2)
        ]
        for status, headers, body in answers:
            assert status == 200
            assert headers.get("Content-Encoding") == encoding, accept
            page = decoders[encoding](body)
            assert page.startswith(b"<!doctype html>")
            plain = plain or page
            assert page == plain
        # The second answer came from nginx's own copy for that encoding
        # (UPDATING: that copy, while nginx fetches a fresh one after 5 s).
        assert answers[1][1]["X-Micro-Cache"] in ("HIT", "UPDATING"), accept


def test_a_micro_cache_hit_tells_the_browser_it_varies_and_answers_its_etag_with_304(site):
    """The browser (and any cache between it and us) must learn that the page
    depends on Accept-Encoding, and a reader holding the page gets a 304."""
    port, path = site["nginx_port"], site["article_path"]
    accept = {"Accept-Encoding": "gzip, deflate, br"}
    send(port, "GET", path, headers=accept)

    status, headers, body = send(port, "GET", path, headers=accept)
    assert status == 200
    assert headers["X-Micro-Cache"] in ("HIT", "UPDATING")
    assert headers["Content-Encoding"] == "br"
    assert "accept-encoding" in headers.get("Vary", "").lower()
    assert brotli.decompress(body).startswith(b"<!doctype html>")

    again = {**accept, "If-None-Match": headers["ETag"]}
    status, revalidated, body = send(port, "GET", path, headers=again)
    assert (status, body) == (304, b"")
    assert revalidated["ETag"] == headers["ETag"]
    # Another encoding's copy has its own ETag: the br one does not match it.
    status, _headers, body = send(
        port, "GET", path, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]}
    )
    assert status == 200
    assert gzip.decompress(body).startswith(b"<!doctype html>")


def test_an_edited_article_replaces_the_micro_cache_copy_nginx_keeps_open(site):
    """nginx keeps the micro-cache's files open between hits (open_file_cache);
    once the article is edited, readers get the new page within the cache's
    few seconds, not the old file nginx held open."""
    port, path = site["nginx_port"], site["article_path"]
    accept = {"Accept-Encoding": "gzip, br"}
    for _ in range(3):
        _status, headers, body = send(port, "GET", path, headers=accept)
    assert headers["X-Micro-Cache"] in ("HIT", "UPDATING")
    assert b"Shin splints, revised" not in brotli.decompress(body)

    run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from articles.models import Article; "
        f"a = Article.objects.get(pk={site['article_id']}); "
        "a.title = 'Shin splints, revised'; a.save()",
        env=site["env"],
    )
    # The micro-cache keeps a copy 5 seconds (s-maxage); nginx's open file
    # cache would keep an old descriptor for 60.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        _status, headers, body = send(port, "GET", path, headers=accept)
        if b"Shin splints, revised" in brotli.decompress(body):
            break
        time.sleep(0.2)
    else:
        pytest.fail("nginx still served the article as it was before the edit")
    # From then on every reader gets the new page, from nginx's new copy.
    answers = [send(port, "GET", path, headers=accept) for _ in range(3)]
    assert all(b"Shin splints, revised" in brotli.decompress(body) for _s, _h, body in answers)
    assert answers[-1][1]["X-Micro-Cache"] in ("HIT", "UPDATING")
