"""The floor: a WSGI app that answers every request with the benchmark
article's saved bytes and does nothing else. Under the same gunicorn
configuration it shows the most any Python page could reach, which bounds
every app-server row of the table."""

import os
from pathlib import Path

BODY = Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
