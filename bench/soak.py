"""The load and soak test, from one command (`make soak`, or with options):

    .venv/bin/python bench/soak.py [--duration 60] [--articles 100] [--connections N]

1. creates a fresh PostgreSQL database (SOAK_DATABASE_URL), loads the
   synthetic archive into it and starts gunicorn with production settings on
   127.0.0.1 (bench/run.py's helpers), with Redis as the cache;
2. reads every article page once, which warms the page cache and gives each
   article's signed comment-form token, and waits until the tokens are old
   enough to be taken as a person's (COMMENTS_MIN_SUBMIT_SECONDS);
3. finds the concurrency that saturates the machine: the mix below for a few
   seconds at 4, 8, 16 and 32 connections, keeping the first one past which
   throughput grows by less than 10% (or --connections N);
4. loads the site for --duration seconds at that concurrency with a mix of
   90% page reads (home 10%, hubs 20%, articles 70% of them, spread evenly),
   5% affiliate clicks (/go/<slug>/?from=<article>), 4% comment posts (a
   unique text and e-mail each, so none is refused as a duplicate) and 1%
   searches;
5. checks the database (bench/soak_check.py): every comment answered 302 is
   stored exactly once, every 302 from /go/ has exactly one AffiliateClick;
and writes bench/results/soak-latest.md and soak-latest.json, then drops the
database. Exits 1 when the target is missed: any 5xx or any lost write.

All posts come from one address, so the per-address comment limit is raised
(--comment-rate-limit) or the write path would hardly be exercised; any 429
still shows in the figures. The load generator is Python threads on the
same cores as the server: every figure includes its cost.
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402
from servers import REPO, TMP, gunicorn  # noqa: E402

PORT = 18740
RESULTS = Path(__file__).resolve().parent / "results"
MIX = {"page": 90, "click": 5, "comment": 4, "search": 1}
EXPECTED = {"page": 200, "click": 302, "comment": 302, "search": 200}
PROBE_CONNECTIONS = (4, 8, 16, 32)
SEARCH_TERMS = ["knee", "shin splints", "plantar", "achilles", "stretch", "ice", "hip", "strength"]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) injurysite-soak"
TOKEN = re.compile(
    r'<input[^>]*name="token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="token"'
)
log = run.log


class Site:
    """What the load asks for, and the ledger of every write it was answered."""

    def __init__(self, targets, *, port, run_id):
        self.port, self.run_id = port, run_id
        self.marker = f"Soak {run_id}: "  # starts every comment text of the run
        self.hubs = targets["hubs"]
        self.articles = targets["articles"]
        self.links = targets["links"]
        self.tokens = {}
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()
        self.comments = []  # (text, status) of every comment posted
        self.clicks = Counter()  # 302s per affiliate link

    def send(self, method, path, body=None, headers=None):
        """(status, body) of one request on a new connection, as gunicorn's
        sync workers close each connection after answering."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def read_tokens(self):
        """Every article page once: the page cache is warm and each article's
        form token is known."""
        for article in self.articles:
            status, page = self.send("GET", article["path"])
            text = page.decode()
            # The comment form's own token: "Was this page helpful?" has one too.
            match = TOKEN.search(text[text.find('class="comment-form"') :])
            if status != 200 or not match:
                raise SystemExit(
                    f"{article['path']} answered {status} without a comment form token"
                )
            self.tokens[article["slug"]] = unescape(match.group(1) or match.group(2))

    def request(self, kind, rng):
        """(method, path, body, headers, comment text or link slug) for one request."""
        article = rng.choice(self.articles)
        if kind == "page":
            roll = rng.random()
            path = "/" if roll < 0.1 else rng.choice(self.hubs) if roll < 0.3 else article["path"]
            return "GET", path, None, {}, None
        if kind == "search":
            return (
                "GET",
                "/search/?" + urllib.parse.urlencode({"q": rng.choice(SEARCH_TERMS)}),
                None,
                {},
                None,
            )
        if kind == "click":
            slug = rng.choice(self.links)
            return "GET", f"/go/{slug}/?from={article['slug']}", None, {}, slug
        number = next(self.numbers)
        text = (
            f"{self.marker}comment {number}: after two weeks of rest my knee feels "
            f"better on the stairs. How long before a first easy run?"
        )
        body = urllib.parse.urlencode(
            {
                "name": f"Soak reader {number}",
                "email": f"soak-{self.run_id}-{number}@example.com",
                "website": "",
                "text": text,
                "token": self.tokens[article["slug"]],
                "subject": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{self.port}",
        }
        return "POST", article["post_path"], body, headers, text

    def record(self, kind, subject, status):
        with self.lock:
            if kind == "comment":
                self.comments.append((subject, status))
            elif kind == "click" and status == 302:
                self.clicks[subject] += 1


def load(site, *, connections, seconds, max_requests):
    """The mix at `connections` for `seconds` (at most `max_requests` in all):
    a list of (kind, status, seconds) and the wall-clock time it took."""
    kinds, weights = list(MIX), list(MIX.values())
    samples = []
    deadline = time.monotonic() + seconds
    per_thread = max(1, max_requests // connections)

    def worker(number):
        rng = random.Random(f"{site.run_id}-{connections}-{number}")
        own = []
        while len(own) < per_thread and time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            method, path, body, headers, subject = site.request(kind, rng)
            started = time.perf_counter()
            try:
                status, _body = site.send(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                status = f"connection error: {type(error).__name__}"
            own.append((kind, status, time.perf_counter() - started))
            site.record(kind, subject, status)
        samples.extend(own)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.monotonic() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return (
        round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000, 1)
        if ordered
        else None
    )


def summarize(samples, wall):
    def figures(rows):
        return {
            "requests": len(rows),
            "rps": round(len(rows) / wall, 1),
            "p50_ms": percentile([r[2] for r in rows], 0.50),
            "p99_ms": percentile([r[2] for r in rows], 0.99),
            "statuses": {str(k): v for k, v in sorted(Counter(str(r[1]) for r in rows).items())},
        }

    unexpected = Counter(
        f"{kind} {status}" for kind, status, _ in samples if status != EXPECTED[kind]
    )
    return {
        **figures(samples),
        "seconds": round(wall, 1),
        "by_kind": {kind: figures([r for r in samples if r[0] == kind]) for kind in MIX},
        "server_errors": sum(
            1 for _k, status, _s in samples if isinstance(status, int) and status >= 500
        ),
        "connection_errors": sum(1 for _k, status, _s in samples if isinstance(status, str)),
        "rate_limited": sum(1 for _k, status, _s in samples if status == 429),
        "unexpected": dict(sorted(unexpected.items())),
    }


def find_concurrency(site, *, seconds, max_requests):
    """The first probe level past which throughput grows by less than 10%."""
    probes = []
    for connections in PROBE_CONNECTIONS:
        summary = summarize(
            *load(site, connections=connections, seconds=seconds, max_requests=max_requests)
        )
        probes.append(
            {
                "connections": connections,
                "rps": summary["rps"],
                "p99_ms": summary["p99_ms"],
                "server_errors": summary["server_errors"],
            }
        )
        log(f"probe: {connections} connections, {summary['rps']} req/s, p99 {summary['p99_ms']} ms")
    chosen = probes[0]
    for probe in probes[1:]:
        if probe["rps"] < chosen["rps"] * 1.1:
            break
        chosen = probe
    return chosen["connections"], probes


def server_log_problems(path):
    """Lines in gunicorn's log (Django logs at ERROR) that point at trouble."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return {"tracebacks": text.count("Traceback"), "worker_timeouts": text.count("WORKER TIMEOUT")}


def forget_cache(redis_url, prefix):
    """Delete the run's Redis keys: the content version never expires by itself."""
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def markdown(result):
    run_, soak, checks = result["run"], result["soak"], result["checks"]
    comments, clicks = checks["comments"], checks["clicks"]
    lines = [
        "# Soak test: latest run",
        "",
        f"{run_['date']}, commit {run_['commit']}, {run_['cores']} cores, gunicorn {run_['workers']} sync "
        f"workers, PostgreSQL and Redis, production settings over plain HTTP on 127.0.0.1, "
        f"{run_['articles']} synthetic articles. {soak['seconds']} s at {run_['connections']} connections "
        f"({run_['connections_reason']}). Made by `make soak` (bench/soak.py).",
        "",
        f"**Target: zero 5xx and zero lost writes: {'met' if result['target_met'] else 'NOT MET'}.**",
        "",
        f"- Requests: {soak['requests']} ({soak['rps']} req/s); latency p50 {soak['p50_ms']} ms, "
        f"p99 {soak['p99_ms']} ms",
        f"- 5xx: {soak['server_errors']}; connection errors: {soak['connection_errors']}; "
        f"429 (comment rate limit, {run_['comment_rate_limit']} per minute): {soak['rate_limited']}",
        f"- gunicorn's log: {run_['server_log']['tracebacks']} tracebacks, "
        f"{run_['server_log']['worker_timeouts']} worker timeouts",
        f"- Unexpected answers: {', '.join(f'{k}: {v}' for k, v in soak['unexpected'].items()) or 'none'}",
        f"- Comments: {comments['posted']} posted, {comments['accepted']} answered 302, "
        f"{comments['stored_once']} of those stored exactly once, {comments['missing']} missing, "
        f"{comments['duplicated']} duplicated; stored as {comments['stored_as']}; "
        f"{comments['stored_without_302']} stored without a 302",
        f"- Affiliate clicks: {clicks['redirects']} redirects (302), {clicks['rows']} AffiliateClick rows in the "
        f"window, {clicks['missing']} missing, {clicks['extra']} extra",
        "",
        "| kind | share | requests | req/s | p50 ms | p99 ms | statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, row in soak["by_kind"].items():
        statuses = ", ".join(f"{status}: {count}" for status, count in row["statuses"].items())
        lines.append(
            f"| {kind} | {MIX[kind]}% | {row['requests']} | {row['rps']} | {row['p50_ms']} "
            f"| {row['p99_ms']} | {statuses} |"
        )
    lines += [
        "",
        "Concurrency probe (the same mix, a few seconds per level; its writes are checked too):",
        "",
        "| connections | req/s | p99 ms | 5xx |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {p['connections']} | {p['rps']} | {p['p99_ms']} | {p['server_errors']} |"
        for p in result["probes"]
    ]
    lines += [
        "",
        "Latency is measured by the load generator, which runs on the same cores as gunicorn, "
        "PostgreSQL and Redis.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--articles", type=int, default=100, help="size of the synthetic archive")
    parser.add_argument("--connections", type=int, help="skip the probe and use this many")
    parser.add_argument("--probe-seconds", type=int, default=5)
    parser.add_argument(
        "--max-requests", type=int, default=1_000_000, help="a cap on the requests of one phase"
    )
    parser.add_argument(
        "--comment-rate-limit",
        type=int,
        default=1_000_000,
        help="COMMENTS_RATE_LIMIT for the run; the default (5) to see the load refused with 429",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument(
        "--keep-database", action="store_true", help="leave the database for a look afterwards"
    )
    args = parser.parse_args()

    TMP.mkdir(parents=True, exist_ok=True)
    if not run.PYTHON.exists():
        run.sh(["make", ".venv/bin/.installed"])
    database_url = os.environ.get(
        "SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/injurysite_soak"
    )
    run_id = f"{os.getpid()}-{int(time.time())}"
    cache_prefix = os.environ.get("SOAK_CACHE_KEY_PREFIX", f"injurysite-soak-{run_id}")
    env = run.site_env(
        database_url,
        redis_url=args.redis_url,
        site_url=f"http://127.0.0.1:{PORT}",
        cache_prefix=cache_prefix,
    )
    env["COMMENTS_RATE_LIMIT"] = str(args.comment_rate_limit)
    workers = int(env.get("GUNICORN_WORKERS", 2 * os.cpu_count() + 1))
    check = [str(run.PYTHON), str(Path(__file__).with_name("soak_check.py"))]

    log(f"fresh database {database_url.rsplit('/', 1)[1]}")
    run.create_database(database_url, fresh=True)
    try:
        run.prepare_site(env, SimpleNamespace(articles=args.articles, comments=0))
        site = Site(
            json.loads(run.sh([*check, "targets"], env=env, quiet=True)), port=PORT, run_id=run_id
        )
        with gunicorn(
            run.PYTHON, "injurysite.wsgi:application", port=PORT, env=env, log_name="gunicorn-soak"
        ):
            log(f"reading {len(site.articles)} article pages for their comment-form tokens")
            site.read_tokens()
            window_start = datetime.datetime.now(datetime.UTC)
            time.sleep(int(env.get("COMMENTS_MIN_SUBMIT_SECONDS", "3")) + 1)
            if args.connections:
                connections, probes, reason = args.connections, [], "given with --connections"
            else:
                connections, probes = find_concurrency(
                    site, seconds=args.probe_seconds, max_requests=args.max_requests
                )
                reason = "the probe's level past which throughput grew by less than 10%"
            log(f"soak: {args.duration} s at {connections} connections")
            soak = summarize(
                *load(
                    site,
                    connections=connections,
                    seconds=args.duration,
                    max_requests=args.max_requests,
                )
            )
            window_end = datetime.datetime.now(datetime.UTC)
        ledger = TMP / "soak-ledger.json"
        ledger.write_text(
            json.dumps(
                {
                    "marker": site.marker,
                    "comments": site.comments,
                    "clicks": site.clicks,
                    "window": [window_start.isoformat(), window_end.isoformat()],
                }
            )
        )
        checks = json.loads(run.sh([*check, "verify", str(ledger)], env=env, quiet=True))
    finally:
        forget_cache(args.redis_url, cache_prefix)
        if not args.keep_database:
            try:
                run.drop_database(database_url)
            except SystemExit as error:  # reported, but the run's figures still count
                log(f"could not drop the database: {error}")

    comments, clicks = checks["comments"], checks["clicks"]
    # 5xx during the probe count against the target as well.
    probe_errors = sum(probe["server_errors"] for probe in probes)
    lost = comments["missing"] + comments["duplicated"] + clicks["missing"] + clicks["extra"]
    result = {
        "run": {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": run.sh(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, quiet=True).strip(),
            "cores": os.cpu_count(),
            "workers": workers,
            "articles": args.articles,
            "duration": args.duration,
            "connections": connections,
            "connections_reason": reason,
            "comment_rate_limit": args.comment_rate_limit,
            "server_log": server_log_problems(TMP / "gunicorn-soak.log"),
        },
        "soak": soak,
        "probes": probes,
        "checks": checks,
        "target_met": soak["server_errors"] == 0 and probe_errors == 0 and lost == 0,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak-latest.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "soak-latest.md").write_text(markdown(result))
    print(markdown(result))
    sys.exit(0 if result["target_met"] else 1)


if __name__ == "__main__":
    main()
