"""The site with its Redis down: a redis-server of the test's own, on a free
port, stopped (connections refused) or frozen with SIGSTOP (connections
accepted, nothing answered) in the middle of the test.

Readers keep reading and commenting, requests do not wait on the dead Redis,
and the cache is used again once Redis is back.
"""

import os
import re
import signal
import subprocess
import time
import urllib.parse
import uuid
from contextlib import ExitStack

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from comments.models import Comment
from comments.tokens import make_form_token
from tests.factories import ArticleFactory
from tests.servers import fetch, run_manage
from tests.test_app_servers import FormFields, app_server, free_port, get, manage, own_database

# Seconds the site leaves a failed Redis alone (RETRY_AFTER): short, so the
# tests see it come back quickly.
RETRY_AFTER = 1


class RedisServer:
    """redis-server on 127.0.0.1:`port`, a child of the test, without persistence."""

    def __init__(self, port, *, keep_in=None):
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"
        # A folder: keep the data there across restarts, as a production Redis does.
        self.keep_in = keep_in

    def start(self):
        persistence = ["--appendonly", "no"]
        if self.keep_in is not None:
            persistence = ["--dir", str(self.keep_in), "--appendonly", "yes"]
            persistence += ["--appendfsync", "always"]
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--daemonize", "no", *persistence],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server cannot stop
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def down(self, how):
        {"stopped": self.stop, "frozen": self.freeze}[how]()

    def up(self, how):
        {"stopped": self.start, "frozen": self.thaw}[how]()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(free_port(), keep_in=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def site_on_redis(settings, redis_server):
    """The site's cache on `redis_server`, configured as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "injurysite",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
            "RETRY_AFTER": RETRY_AFTER,
        }
    }
    settings.PAGE_CACHE_ENABLED = settings.FRAGMENT_CACHE_ENABLED = True
    settings.COMMENTS_RATE_LIMIT = 2
    return redis_server


def post_comment(client, article, text):
    data = {
        "name": "Ann Runner",
        "email": "ann@example.com",
        "website": "",
        "text": text,
        "token": make_form_token(article, rendered_at=time.time() - 30),
    }
    return client.post(
        reverse("comments:post", args=[article.pk]),
        data,
        REMOTE_ADDR="203.0.113.7",
        HTTP_ORIGIN="http://testserver",
    )


def wait_out_the_retry_pause():
    time.sleep(RETRY_AFTER + 0.2)


OUTAGES = ["stopped", "frozen"]


@pytest.mark.django_db
@pytest.mark.parametrize("how", OUTAGES)
def test_a_comment_posted_while_redis_is_down_is_stored(client, site_on_redis, how):
    article = ArticleFactory()
    site_on_redis.down(how)

    # More posts than the rate limit allows: it cannot count them, so it lets them through.
    for number in range(3):
        response = post_comment(client, article, f"My knee, day {number}.")
        assert response.status_code == 302
        assert response.url == article.get_absolute_url() + "#comments"
    assert sorted(Comment.objects.values_list("text", flat=True)) == [
        "My knee, day 0.",
        "My knee, day 1.",
        "My knee, day 2.",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("how", OUTAGES)
def test_pages_answer_while_redis_is_down_without_waiting_on_it(client, site_on_redis, how):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 200
    site_on_redis.down(how)

    started = time.monotonic()
    for _ in range(10):
        for url in (article.get_absolute_url(), "/"):
            response = client.get(url)
            assert response.status_code == 200
    # Each request waiting out a 1 s socket timeout would take 20 s at least.
    assert time.monotonic() - started < 8


@pytest.mark.django_db
@pytest.mark.parametrize("how", OUTAGES)
def test_the_cache_is_used_again_once_redis_is_back(client, site_on_redis, how, caplog):
    article = ArticleFactory()
    site_on_redis.down(how)
    for _ in range(5):
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "bypass"

    site_on_redis.up(how)
    wait_out_the_retry_pause()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    assert cache.get("pagecache:version") is not None
    # One warning when Redis went away and one when it came back, not one per request.
    outage = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Cache: Redis")]
    assert len(outage) == 2, outage
    assert outage[0].startswith("Cache: Redis cannot be reached")
    assert outage[1].startswith("Cache: Redis answers again")


@pytest.mark.django_db
def test_a_change_saved_while_redis_is_down_shows_once_it_is_back(client, site_on_redis):
    article = ArticleFactory(title="Knee pain")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    site_on_redis.stop()
    article.title = "Knee pain, revised"
    article.save()
    assert "Knee pain, revised" in client.get(article.get_absolute_url()).content.decode()

    # Redis comes back with its data: the page cached before the change, and
    # the content version it was cached at.
    site_on_redis.start()
    wait_out_the_retry_pause()
    response = client.get(article.get_absolute_url())
    assert "Knee pain, revised" in response.content.decode()
    assert response["X-Page-Cache"] == "miss"


@pytest.fixture(scope="module")
def gunicorn_on_redis(tmp_path_factory):
    """gunicorn with production settings and demo content, on a Redis of its own."""
    folder = tmp_path_factory.mktemp("redis-down")
    server = RedisServer(free_port())
    server.start()
    with ExitStack() as stack:
        stack.callback(server.stop)
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "redis-down-test-secret-key-0123456789-abcdefghijk",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "off",
            "DJANGO_SECURE_COOKIES": "off",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "off",
            "SITE_URL": "http://127.0.0.1",
            "DATABASE_URL": stack.enter_context(own_database(folder)),
            "REDIS_URL": server.url,
            "CACHE_KEY_PREFIX": f"redis-down-{uuid.uuid4().hex[:8]}",
            "COMMENTS_MIN_SUBMIT_SECONDS": "0",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")
        log = folder / "gunicorn.log"
        base = stack.enter_context(app_server(env, free_port(), log))
        yield server, base, env


def test_through_gunicorn_a_redis_outage_costs_no_comment_and_no_page(gunicorn_on_redis):
    server, base, env = gunicorn_on_redis
    article = base + "/runners-knee/"
    get(article)
    assert get(article)[1]["X-Page-Cache"] == "hit"
    form = FormFields()
    form.feed(get(article)[2])
    action = re.search(r'<form[^>]+action="(/comments/[^"]+)"', get(article)[2]).group(1)

    pages = ["/runners-knee/", "/", "/running-injuries/", "/search/?q=knee"] * 5

    # Frozen: each request that waited out the 1 s socket timeout would make 20 s at least.
    server.freeze()
    started = time.monotonic()
    for path in pages:
        assert get(base + path)[0] == 200, path
    assert time.monotonic() - started < 12
    server.thaw()

    server.stop()
    started = time.monotonic()
    for path in pages:
        status, headers, _body = get(base + path)
        assert (status, headers["X-Page-Cache"]) == (200, "bypass"), path
    assert time.monotonic() - started < 12
    form.fields.update(
        name="Ann Runner", email="ann@example.com", text="Posted while Redis was down."
    )
    response = fetch(
        base + action,
        data=urllib.parse.urlencode(form.fields).encode(),
        headers={"Origin": base, "Referer": article},
    )
    assert response.status == 302
    stored = run_manage(
        "shell",
        "-c",
        "from comments.models import Comment; print(Comment.objects.filter("
        "text='Posted while Redis was down.').count())",
        env=env,
    )
    assert stored.stdout.splitlines()[-1] == "1"

    server.start()
    time.sleep(6)  # production's RETRY_AFTER
    get(article)
    assert get(article)[1]["X-Page-Cache"] == "hit"
