"""The cache while the site is worked on: readers spread over many pages with
a Zipf-like popularity (a few hot, a long tail), a moderator approving a
comment every few seconds and an editor saving an article every minute.

Run by bench/run.py (the "site being worked on" row) against our site under
the shipped app server; on its own:

    .venv/bin/python bench/warm_cache.py http://127.0.0.1:18740 --seconds 90

with the site's environment (DATABASE_URL, REDIS_URL, ...) set as for the
server, since the moderator and the editor work through the ORM in a process
of their own, exactly as a save in the admin does.

The hit ratio is counted by the server, not by wrk: the server must run with
PAGE_CACHE_COUNT_MISSES=true, and hits are wrk's requests less the misses it
counted meanwhile. A wrk response() hook reading each answer's X-Page-Cache
header would cost wrk's Lua CPU on the same cores as the server, and inflate
the latency it measures.
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TMP = BENCH / "results" / "tmp"

# Every `approve_every` seconds a new comment is posted (pending: no page
# changes) and approved (its article's and hub's pages change); every
# `save_every` seconds an editor corrects a sentence in an article's last
# paragraph (its own page changes, unless the body's opening is the
# article's summary: then every page does; SITE_WIDE counts those).
WORKER = """
import json, os, random, time
from django.utils import timezone
from articles.models import Article
from comments.models import Comment
from pagecache import current_version

CORRECTION = " Most runners are back to easy running within six weeks."

work = json.loads(os.environ["BENCH_WORK"])
seconds, approve_every, save_every, paths = work["seconds"], work["approve_every"], work["save_every"], work["paths"]
slugs = [path.strip("/") for path in paths]
weights = [1 / rank for rank in range(1, len(slugs) + 1)]
articles = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "pk"))
# Django is set up: the readers may start (its start-up is no part of the row).
print("READY", flush=True)
started = time.monotonic()
next_approval, next_save, approved, saved, site_wide = 0.0, save_every, 0, 0, 0
while (now := time.monotonic() - started) < seconds:
    if now >= next_approval:
        slug = random.choices(slugs, weights)[0]
        comment = Comment.objects.create(
            article_id=articles[slug], name="Bench reader", email="reader@bench.example",
            text=f"Comment {approved} on {slug}.", status=Comment.Status.PENDING,
        )
        comment.status = Comment.Status.APPROVED
        comment.approved_at = timezone.now()
        comment.save()
        approved += 1
        next_approval += approve_every
    if now >= next_save:
        article = Article.objects.get(pk=articles[random.choices(slugs, weights)[0]])
        if CORRECTION in article.body:
            article.body = article.body.replace(CORRECTION, "", 1)
        else:
            end = article.body.rfind("</p>")
            end = len(article.body) if end < 0 else end
            article.body = article.body[:end] + CORRECTION + article.body[end:]
        version = current_version()
        article.save()
        site_wide += current_version() != version
        saved += 1
        next_save += save_every
    time.sleep(0.05)
print(f"APPROVED {approved} SAVED {saved} SITE_WIDE {site_wide}")
"""

# Prints the page cache's miss count (PAGE_CACHE_COUNT_MISSES), or "none"
# before the first miss counted.
MISSES = """
from django.core.cache import cache
from pagecache.http import MISSES_KEY
print(f"MISSES {cache.get(MISSES_KEY, 'none')}")
"""


def lua_script(paths, *, exponent):
    """A wrk script that asks for `paths` with Zipf popularity (rank r has
    weight 1 / r ** exponent). No response() hook: the server counts misses."""
    weights = [1 / rank**exponent for rank in range(1, len(paths) + 1)]
    total, cumulative, running = sum(weights), [], 0.0
    for weight in weights:
        running += weight / total
        cumulative.append(round(running, 9))
    cumulative[-1] = 1.0
    return (
        f"local paths = {{{', '.join(json.dumps(path) for path in paths)}}}\n"
        f"local cumulative = {{{', '.join(str(value) for value in cumulative)}}}\n"
        "local started = 0\n"
        "function setup(thread) started = started + 1; thread:set('id', started) end\n"
        "function init(args) math.randomseed(os.time() * 100 + id) end\n"
        "function request()\n"
        "  local x, low, high = math.random(), 1, #cumulative\n"
        "  while low < high do\n"
        "    local middle = math.floor((low + high) / 2)\n"
        "    if cumulative[middle] < x then low = middle + 1 else high = middle end\n"
        "  end\n"
        "  return wrk.format('GET', paths[low])\n"
        "end\n"
    )


def warm(base_url, paths):
    """Ask for every page once, so the row measures a cache that is kept warm
    while the site is worked on, not the first visit of each page."""
    from servers import fetch

    for path in paths:
        fetch(base_url.rstrip("/") + path)


def shell_output(python, env, script):
    """What `script` prints, run by the site's `manage.py shell` with `env`."""
    return subprocess.run(  # noqa: S603 (our own fixed command)
        [str(python), "manage.py", "shell", "--no-imports", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def misses(python, env):
    """The misses the server has counted so far (PAGE_CACHE_COUNT_MISSES), or
    None when it has counted none (it may not count them)."""
    count = re.search(r"MISSES (\w+)", shell_output(python, env, MISSES)).group(1)
    return None if count == "none" else int(count)


def measure(
    base_url,
    paths,
    *,
    python,
    env,
    seconds=90,
    connections=16,
    approve_every=5,
    save_every=60,
    exponent=1.0,
):
    """{rps, p50_ms, p99_ms, hit_ratio, approved, saved, site_wide_saves, pages}
    of one run. The server at `base_url` must count its misses
    (PAGE_CACHE_COUNT_MISSES=true, in the same cache as `env`'s)."""
    TMP.mkdir(parents=True, exist_ok=True)
    script = TMP / "zipf.lua"
    script.write_text(lua_script(paths, exponent=exponent))
    warm(base_url, paths)
    misses_before = misses(python, env)
    worker = subprocess.Popen(  # noqa: S603 (our own fixed command)
        [
            str(python),
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            WORKER,
        ],
        cwd=REPO,
        env={
            **env,
            "BENCH_WORK": json.dumps(
                {
                    "seconds": seconds,
                    "approve_every": approve_every,
                    "save_every": save_every,
                    "paths": paths,
                }
            ),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The readers start once the moderator and the editor are at work.
        line = worker.stdout.readline()
        if line.strip() != "READY":
            worker.kill()
            raise RuntimeError(
                f"the moderator and editor did not start: {worker.stderr.read()[-2000:]}"
            )
        output = subprocess.run(  # noqa: S603
            [  # noqa: S607 (Debian's wrk, on PATH)
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(script),
                base_url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        worker_out, worker_err = worker.communicate(timeout=seconds + 60)
    if worker.returncode:
        raise RuntimeError(f"the moderator and editor stopped:\n{worker_err[-2000:]}")
    misses_after = misses(python, env)
    # None: the server counted no miss ever, so it does not count them.
    missed = None if misses_after is None else misses_after - (misses_before or 0)
    work = re.search(r"APPROVED (\d+) SAVED (\d+) SITE_WIDE (\d+)", worker_out)
    requests = re.search(r"(\d+) requests in", output)
    answers = int(requests.group(1)) if requests else 0
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)$", output, re.M))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    from report import _ms  # the same parsing as every other row

    return {
        "rps": round(float(rps.group(1)), 1) if rps else 0.0,
        "p50_ms": _ms(percentiles.get("50", "")),
        "p99_ms": _ms(percentiles.get("99", "")),
        "hit_ratio": round(max(0, answers - missed) / answers, 4)
        if answers and missed is not None
        else None,
        "misses": missed,
        "approved": int(work.group(1)) if work else 0,
        "saved": int(work.group(2)) if work else 0,
        "site_wide_saves": int(work.group(3)) if work else 0,
        "pages": len(paths),
        "failed": int(failed.group(1)) if failed else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    import os

    python = REPO / ".venv" / "bin" / "python"
    paths = article_paths(python, dict(os.environ), args.pages)
    print(
        json.dumps(
            measure(
                args.base_url,
                paths,
                python=python,
                env=dict(os.environ),
                seconds=args.seconds,
                connections=args.connections,
            )
        )
    )


def article_paths(python, env, count):
    """The addresses of the `count` newest published articles, most popular first."""
    script = (
        "from articles.models import Article\n"
        f"for slug in Article.objects.published().order_by('-published_at').values_list('slug', flat=True)[:{count}]:\n"
        "    print(f'/{slug}/')"
    )
    return shell_output(python, env, script).split()


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    main()
