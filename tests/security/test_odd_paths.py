"""Odd request paths sent as raw bytes to the two app servers we ship
(granian, the default, and gunicorn) with production settings and the page
cache on (Redis, as in production): each gets a clear answer (200, 301, 302,
400 or 404), never a server error.

The bytes go straight to the socket, so nothing on the way (urllib, a
browser) tidies the path before the site sees it.
"""

import os
import socket
import uuid
from contextlib import ExitStack

import pytest

from tests.conftest import TEST_REDIS_URL
from tests.test_app_servers import APP_SERVERS, app_server, free_port, manage, own_database

HOST = "127.0.0.1"

# (path as sent on the request line, the status the site answers, or the
# status under each app server where they differ)
ODD_PATHS = [
    (b"/%E2%80%9C/", 404),  # a curly quote: above U+00FF once decoded
    (b"/%E2%80%9C.html", 404),
    (b"/runners-knee%E2%80%9C/", 404),
    (b"/runners-knee.html", 301),
    (b"/runners-knee.html?page=%E2%80%9C", 301),
    (b"/%F0%9F%8F%83/", 404),  # an emoji (a runner)
    # The same emoji, unencoded: gunicorn refuses it; granian takes it as UTF-8.
    (b"/\xf0\x9f\x8f\x83/", {"gunicorn": 400, "granian": 404}),
    (b"/%00/", 404),
    (b"/%FF/", 404),
    (b"/%C3%28/", 404),  # not UTF-8
    (b"/%zz/", 404),  # not a percent escape
    (b"/a%20path%20with%20spaces/", 404),
    (b"/a path with spaces/", 400),
    (b"//", 404),
    (b"//runners-knee/", 404),
    (b"/..%2f..%2fetc%2fpasswd", 404),
    (b"/" + b"a" * 4000 + b"/", 404),
    (b"/" + b"%E2%80%9C" * 400 + b"/", 404),
    (b"/search/?q=%E2%80%9C", 200),
    (b"/search/?q=%C3%28%zz%00", 200),
    (b"/search/?page=%E2%80%9C", 200),
    (b"/?page=%E2%80%9C", 200),
    (b"/runners-knee/?%E2%80%9C=%E2%80%9C", 200),
    (b"/runners-knee/?page=%FF", 404),  # as for any page number it does not have
    (b"/runners-knee/?page=zz", 404),
    (b"/admin/%E2%80%9C/", 302),  # to the sign-in page
    (b"/admin/login/?next=/%E2%80%9C/", 200),
    (b"/go/%E2%80%9C/", 404),
    (b"/comments/%E2%80%9C/", 404),
    (b"/static/%E2%80%9C.css", 404),
    (b"/feed/?%E2%80%9C", 200),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory, redis_key_prefix):
    """Each app server (production settings, demo content, the page cache on
    Redis), by name, for every path in the table."""
    folder = tmp_path_factory.mktemp("odd-paths")
    with ExitStack() as stack:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "odd-paths-test-secret-key-0123456789-abcdefghijkl",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "off",
            "DJANGO_SECURE_COOKIES": "off",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "off",
            "SITE_URL": f"http://{HOST}",
            "DATABASE_URL": stack.enter_context(own_database(folder)),
            "REDIS_URL": TEST_REDIS_URL,
            "CACHE_KEY_PREFIX": f"{redis_key_prefix}-odd-{uuid.uuid4().hex[:8]}",
            "PAGE_CACHE_ENABLED": "true",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")
        yield {
            kind: stack.enter_context(app_server(env, free_port(), folder / f"{kind}.log", kind))
            for kind in APP_SERVERS
        }


def status_of(base, raw_path):
    """The status gunicorn answers to `GET raw_path`, sent byte for byte."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(b"GET " + raw_path + b" HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n")
        sock.sendall(b"Connection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    status_line = reply.split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


@pytest.mark.parametrize(
    ("raw_path", "status"), ODD_PATHS, ids=[path[:40].decode("latin-1") for path, _ in ODD_PATHS]
)
@pytest.mark.parametrize("server", APP_SERVERS)
def test_an_odd_path_gets_a_clear_answer_never_a_server_error(site, server, raw_path, status):
    base = site[server]
    if isinstance(status, dict):
        status = status[server]
    # Twice: the second request of a cacheable page is answered from the cache.
    assert [status_of(base, raw_path), status_of(base, raw_path)] == [status, status]
