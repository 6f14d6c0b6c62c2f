"""gunicorn's settings for injurysite: `gunicorn -c gunicorn.conf.py`.

Every value can be changed from the environment, so one file serves a laptop,
the benchmark and a production host. Django's own settings come from the
environment as usual (DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DATABASE_URL,
REDIS_URL...): see the README.
"""

import multiprocessing
import os

wsgi_app = "injurysite.wsgi:application"

# Behind nginx on the same host; GUNICORN_BIND=0.0.0.0:8000 (or a unix:
# socket path) to listen elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Pages are CPU work in Python (a database round trip is well under a
# millisecond here), so one process per core, plus one more per core to cover
# the moments a process waits on the database or Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))

# Sync workers answer one request at a time each and close the connection
# after it: the simplest, and the fastest for CPU-bound pages behind nginx.
# GUNICORN_WORKER_CLASS=gthread with GUNICORN_THREADS>1 keeps connections
# alive, for clients that talk to gunicorn directly.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# A request that takes longer than this is a bug or an overload: its worker
# is restarted rather than left stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20

# Workers are replaced now and then, so a slow leak can never grow for long.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

# Load Django once in the master, so workers start fast and share memory.
# Database and Redis connections are opened by each worker on first use.
preload_app = True

# Access log off by default (nginx keeps one); "-" writes it to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# nginx on this host sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
