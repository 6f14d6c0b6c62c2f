"""Page cache hits per second with Redis, with and without each process's
local copies of pages (and the pub/sub watch of the content version that
vouches for them), in one run:

    .venv/bin/python bench/local_copies.py [--rounds 3] [--duration 8]

Starts redis-server and, in turn, two gunicorns (production settings, one
SQLite archive of 20 articles, 2 workers) on free ports of 127.0.0.1, and
drives the same article with wrk (8 connections) alternately through each.
"with" is the shipped backend; "without" is the same backend with the local
copies and the watch switched off, so each hit reads the version and the
page from Redis in one round trip. The machine may be shared: compare the
ratio within one run, not the figures across runs.
"""

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WRK = shutil.which("wrk")
REDIS_SERVER = shutil.which("redis-server")
sys.path.insert(0, str(REPO))

from tests.servers import production_env, run_manage  # noqa: E402

PLAIN_BACKEND = '''
from pagecache.backends import RedisCache


class PlainRedisCache(RedisCache):
    """The shipped backend without local copies or the version watch."""

    watch = None

    def __init__(self, server, params):
        super().__init__(server, params)
        self.local_copies = None

    def announce(self, key, value):
        self.set(key, value, timeout=None)
'''

PLAIN_SETTINGS = """
from injurysite.settings import *  # noqa: F403

CACHES["default"]["BACKEND"] = "plain_backend.PlainRedisCache"  # noqa: F405
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited early ({process.args[0]})")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def stop(process):
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answer_of(url):
    request = urllib.request.Request(url, headers={"Host": "injuries.example"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.headers["X-Page-Cache"]


def hits_per_second(url, duration):
    result = subprocess.run(  # noqa: S603
        [WRK, "-t2", "-c8", f"-d{duration}s", "-H", "Host: injuries.example", url],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout:
        raise SystemExit(f"wrk saw errors:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "plain_backend.py").write_text(PLAIN_BACKEND)
        (tmp / "plain_settings.py").write_text(PLAIN_SETTINGS)
        redis_port = free_port()
        redis = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        servers = []
        try:
            wait_for(redis_port, redis)
            env = production_env(
                DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
                REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
                STATIC_ROOT=str(tmp / "static"),
                MEDIA_ROOT=str(tmp / "media"),
                DJANGO_SECURE_SSL_REDIRECT="off",
                DJANGO_SECURE_PROXY_SSL_HEADER="off",
                DJANGO_LOG_LEVEL="ERROR",
                GUNICORN_WORKERS="2",
                GUNICORN_LOG_LEVEL="warning",
                PYTHONPATH=str(tmp),
            )
            run_manage("migrate", "--no-input", env=env)
            run_manage("collectstatic", "--no-input", env=env)
            run_manage("load_archive", "--articles", "20", env=env)
            urls = {}
            for name, module in [("with", "injurysite.settings"), ("without", "plain_settings")]:
                port = free_port()
                server = subprocess.Popen(  # noqa: S603
                    [str(REPO / ".venv/bin/gunicorn"), "-c", str(REPO / "gunicorn.conf.py")],
                    cwd=REPO,
                    env={
                        **env,
                        "DJANGO_SETTINGS_MODULE": module,
                        "GUNICORN_BIND": f"127.0.0.1:{port}",
                    },
                )
                servers.append(server)
                wait_for(port, server)
                urls[name] = f"http://127.0.0.1:{port}/archive-1-runners-knee/"
                hits_per_second(urls[name], 1)  # warm: the page is stored, then hit
                assert answer_of(urls[name]) == "hit", name
            results = {name: [] for name in urls}
            for _ in range(args.rounds):
                for name, url in urls.items():
                    results[name].append(hits_per_second(url, args.duration))
        finally:
            for server in servers:
                stop(server)
            stop(redis)
    for name, figures in results.items():
        print(f"{name:>8} local copies: " + ", ".join(f"{f:.0f}" for f in figures) + " hits/s")
    ratio = sum(results["with"]) / sum(results["without"])
    print(textwrap.fill(f"with / without: {ratio:.2f}"))


if __name__ == "__main__":
    main()
