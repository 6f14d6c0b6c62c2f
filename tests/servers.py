"""The site in a process of its own, behind a real HTTP server on 127.0.0.1.

For tests that need what the test process cannot have: production settings,
a database that is down, a database restored from a backup.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PRODUCTION_SECRET = "test-only-" + "k3y-of-sufficient-length-and-variety-" * 2


def site_env(**variables):
    """This process's environment without any site setting, plus `variables`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "injurysite.settings"
    env.update({name: str(value) for name, value in variables.items()})
    return env


def production_env(**variables):
    return site_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_ALLOWED_HOSTS="injuries.example",
        SITE_URL="https://injuries.example",
        **variables,
    )


def run_manage(*args, env, check=True):
    """`manage.py ARGS` in a fresh process; the CompletedProcess, with text output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def python_json(code, *, env):
    """Run `code` in a fresh Python process with `env` (in the project
    folder) and return what it printed, read as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_seen(env, names):
    """The settings `names` as a fresh process started with `env` sees them."""
    return python_json(
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))",
        env=env,
    )


@contextmanager
def running_site(env):
    """Start tests/wsgi_server.py with `env`; yield its base URL, stop it afterwards."""
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.wsgi_server"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            line = process.stdout.readline()
            if not line.startswith("listening on "):
                process.wait(10)
                log.seek(0)
                raise AssertionError(f"The site did not start:\n{log.read()}")
            yield f"http://127.0.0.1:{int(line.split()[-1])}"
        finally:
            process.terminate()
            process.wait(10)
            process.stdout.close()


@dataclass
class Fetched:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url, *, data=None, headers=None):
    """GET (or POST `data`, bytes) `url` without following redirects; any status is returned."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _opener.open(request, timeout=30) as response:
            return Fetched(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, dict(error.headers), error.read())
