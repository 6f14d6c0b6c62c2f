"""Processes the benchmark starts and stops: gunicorn app servers and nginx.

Every process is started in a session of its own and stopped by its own
process-group id, so nothing else on the machine is touched.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TMP = BENCH / "results" / "tmp"


def wait_for_port(port, *, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout}s")


def stop(process, *, timeout=15):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextmanager
def running(command, *, port, env, cwd=REPO, log_name):
    """Run `command` until the block ends; its output goes to TMP/<log_name>.log."""
    log = (TMP / f"{log_name}.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (our own fixed commands)
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_for_port(port)
        yield process
    finally:
        stop(process)
        log.close()


def gunicorn(python_bin, app, *, port, env, cwd=REPO, log_name):
    """gunicorn with the repository's gunicorn.conf.py, serving `app` on `port`."""
    command = [
        str(Path(python_bin).parent / "gunicorn"),
        "-c",
        str(REPO / "gunicorn.conf.py"),
        app,
    ]
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    return running(command, port=port, env=env, cwd=cwd, log_name=log_name)


APP_SERVERS = ("gunicorn", "gthread", "granian", "uvicorn")


def app_server(kind, python_bin, *, port, env, workers, log_name):
    """Our site under one of the app servers the benchmark compares, each with
    `workers` processes: gunicorn's sync workers (gunicorn.conf.py), gunicorn's
    gthread workers (4 threads), granian as shipped (deploy/app-server) and
    uvicorn running the ASGI application."""
    bin_dir = Path(python_bin).parent
    if kind == "gunicorn":
        return gunicorn(
            python_bin,
            "injurysite.wsgi:application",
            port=port,
            env={**env, "GUNICORN_WORKERS": str(workers)},
            log_name=log_name,
        )
    if kind == "gthread":
        return gunicorn(
            python_bin,
            "injurysite.wsgi:application",
            port=port,
            env={
                **env,
                "GUNICORN_WORKERS": str(workers),
                "GUNICORN_WORKER_CLASS": "gthread",
                "GUNICORN_THREADS": "4",
            },
            log_name=log_name,
        )
    if kind == "granian":
        env = {
            **env,
            "VENV": str(bin_dir.parent),
            "GRANIAN_PORT": str(port),
            "GRANIAN_WORKERS": str(workers),
            "GRANIAN_LOG_LEVEL": "warning",
        }
        return running([str(REPO / "deploy" / "app-server")], port=port, env=env, log_name=log_name)
    if kind == "uvicorn":
        command = [
            str(bin_dir / "uvicorn"),
            "injurysite.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        # Django keeps no persistent connection for ASGI requests that it
        # can reuse (each runs in a context of its own): with CONN_MAX_AGE
        # each request left one open until PostgreSQL refused every server
        # of the run ("too many clients"). Django's advice for ASGI is 0.
        env = {**env, "DJANGO_CONN_MAX_AGE": "0"}
        return running(command, port=port, env=env, log_name=log_name)
    raise ValueError(f"no app server called {kind!r}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the answer: never follow it (the /go/ row leads off this machine)


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url, *, headers=None, data=None, timeout=30):
    """(status, headers, body) of a GET (a POST with `data`), without raising
    on error statuses and without following redirects. The headers are
    looked up case-insensitively (granian sends them in lower case)."""
    request = urllib.request.Request(url, headers=headers or {}, data=data)  # noqa: S310 (127.0.0.1 only)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def nginx_config(*, static_port, site_port, app_port, static_file_dir, static_root, media_root):
    """nginx.conf for the run: a plain static-file server, and our shipped site
    (deploy/nginx/injurysite.conf) with its ports and paths pointed at this run."""
    site = (REPO / "deploy" / "nginx" / "injurysite.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000": f"server 127.0.0.1:{app_port}",
        "listen 80;": f"listen 127.0.0.1:{site_port};",
        "listen [::]:80;": "",
        "/var/cache/nginx/injurysite": str(TMP / "nginx" / "cache"),
        "/srv/injurysite/staticfiles/": f"{static_root}/",
        "/srv/injurysite/media/": f"{media_root}/",
    }
    for old, new in replacements.items():
        if old not in site:
            raise RuntimeError(f"deploy/nginx/injurysite.conf no longer contains {old!r}")
        site = site.replace(old, new)
    (TMP / "nginx" / "cache").mkdir(parents=True, exist_ok=True)
    (TMP / "nginx" / "site.conf").write_text(site)
    # As root, nginx would run its workers as "nobody", who may not write the
    # cache folder inside this checkout; the run only listens on 127.0.0.1.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
worker_processes auto;
pid {TMP}/nginx/nginx.pid;
error_log {TMP}/nginx/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {TMP}/nginx/body;
    proxy_temp_path {TMP}/nginx/proxy;
    fastcgi_temp_path {TMP}/nginx/fastcgi;
    uwsgi_temp_path {TMP}/nginx/uwsgi;
    scgi_temp_path {TMP}/nginx/scgi;
    server {{
        listen 127.0.0.1:{static_port};
        root {static_file_dir};
        # Files kept open, as deploy/nginx keeps its micro-cache's files: the
        # comparison is between two equally tuned servers.
        open_file_cache max=10000 inactive=20s;
        # The app's own brotli copy of the article, served as a file.
        location = /article-br.html {{
            types {{ }}
            default_type "text/html; charset=utf-8";
            add_header Content-Encoding br;
            add_header Vary Accept-Encoding;
        }}
    }}
    include {TMP}/nginx/site.conf;
}}
"""


@contextmanager
def nginx(config, *, ports):
    path = TMP / "nginx" / "nginx.conf"
    path.write_text(config)
    # A fresh micro-cache: pages kept by an earlier run would be stale here.
    shutil.rmtree(TMP / "nginx" / "cache", ignore_errors=True)
    check = subprocess.run(  # noqa: S603
        ["nginx", "-t", "-q", "-c", str(path), "-p", str(TMP / "nginx")],  # noqa: S607
        capture_output=True,
        text=True,
    )
    if check.returncode:
        raise RuntimeError(f"nginx refused the configuration:\n{check.stderr}")
    command = ["nginx", "-c", str(path), "-p", str(TMP / "nginx"), "-g", "daemon off;"]
    with running(command, port=ports[0], env=dict(os.environ), log_name="nginx") as process:
        for port in ports[1:]:
            wait_for_port(port)
        yield process
