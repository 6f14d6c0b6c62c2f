"""CPU time per request of the site's own pages, measured in one process
without a server or a load generator: the figure that stays comparable from
one archive size to the next on a machine where other work comes and goes.

Run by bench/run.py with the site's production environment and the page
cache off; prints {"article": ms, "hub": ms, "home": ms} as JSON.
"""

import io
import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injurysite.settings")
django.setup()

from articles.models import Article  # noqa: E402
from injurysite.wsgi import application  # noqa: E402


def call(path):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.errors": sys.stderr,
    }
    status = []
    body = b"".join(application(environ, lambda s, h, e=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path} answered {status[0]}")
    return body


def cpu_ms(path, count=200):
    for _ in range(20):
        call(path)
    started = time.process_time()
    for _ in range(count):
        call(path)
    return round((time.process_time() - started) / count * 1000, 2)


article = Article.objects.select_related("category").get(slug=sys.argv[1])
pages = {
    "article": article.get_absolute_url(),
    "hub": article.category.get_absolute_url(),
    "home": "/",
}
print(json.dumps({name: cpu_ms(path) for name, path in pages.items()}))
