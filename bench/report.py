"""Load generation with wrk, and the run's results: JSON, markdown, history, chart."""

import json
import re
import secrets
import subprocess
from pathlib import Path

from servers import BENCH, TMP

RESULTS = BENCH / "results"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    return round(float(match.group(1)) * UNITS[match.group(2)], 2) if match else None


def wrk(url, *, duration, connections, post_body=None, headers=None):
    """requests/s, p50 and p99 in ms, and failed responses, from one wrk run.

    A POST body may hold "{n}": each request then replaces it with a number
    of its own (thread and count), so no two posts are duplicates."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if post_body is not None:
        # Each run's own prefix too: a text posted in an earlier round is a duplicate.
        post_body = post_body.replace("{n}", f"{secrets.token_hex(4)}-{{n}}")
        script = TMP / "post.lua"
        script.write_text(
            "local threads = 0\n"
            "function setup(thread) threads = threads + 1; thread:set('id', threads) end\n"
            "local count = 0\n"
            "function request()\n"
            "  count = count + 1\n"
            f"  local body = string.gsub({json.dumps(post_body)}, '{{n}}', id .. '-' .. count)\n"
            # A table given to wrk.format replaces wrk.headers (the -H ones,
            # such as Origin): copy them.
            "  local headers = {}\n"
            "  for name, value in pairs(wrk.headers) do headers[name] = value end\n"
            "  headers['Content-Type'] = 'application/x-www-form-urlencoded'\n"
            "  return wrk.format('POST', nil, headers, body)\n"
            "end\n"
        )
        command += ["-s", str(script)]
    output = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)$", output, re.M))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": round(float(rps.group(1)), 1) if rps else 0.0,
        "p50_ms": _ms(percentiles.get("50", "")),
        "p99_ms": _ms(percentiles.get("99", "")),
        "failed": int(failed.group(1)) if failed else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def evaluate(rows, admin, history, run):
    """The issue's targets, each with the measured ratio and whether it is met."""
    by = {row["key"]: row for row in rows if row.get("rps")}
    targets = []

    def add(name, value, goal, met, detail):
        targets.append({"target": name, "value": value, "goal": goal, "met": met, "detail": detail})

    # Ours as shipped (granian, deploy/app-server) against the peers as they
    # ship (gunicorn); an older run without the granian rows is read as before.
    uncached = (
        "article_uncached_granian" if "article_uncached_granian" in by else "article_uncached"
    )
    cached = "article_cached_granian" if "article_cached_granian" in by else "article_cached"
    if uncached in by and "wagtail" in by:
        value = ratio(by[uncached]["rps"], by["wagtail"]["rps"])
        p99 = by[uncached]["p99_ms"]
        add(
            f"article, page cache off ({uncached}), vs Wagtail",
            value,
            ">= 3.0x and p99 < 60 ms",
            bool(value and value >= 3 and p99 is not None and p99 < 60),
            f"p99 {p99} ms",
        )
    discussed = next((key for key in by if key.startswith("article_50_comments_uncached")), None)
    if discussed and "wagtail" in by:
        value = ratio(by[discussed]["rps"], by["wagtail"]["rps"])
        add(
            f"article with 50 comments, page cache off ({discussed}), vs Wagtail",
            value,
            ">= 1.5x",
            bool(value and value >= 1.5),
            f"p99 {by[discussed]['p99_ms']} ms",
        )
    if cached in by and "wagtail_cached" in by:
        value = ratio(by[cached]["rps"], by["wagtail_cached"]["rps"])
        add(
            f"article from our page cache ({cached}) vs Wagtail + cache middleware",
            value,
            ">= 2.5x",
            bool(value and value >= 2.5),
            "",
        )
    if "nginx_microcache" in by and "nginx_static" in by:
        value = ratio(by["nginx_microcache"]["rps"], by["nginx_static"]["rps"])
        add(
            "article behind our nginx config vs nginx static file",
            value,
            ">= 0.8x",
            bool(value and value >= 0.8),
            "",
        )
    if "nginx_microcache_br" in by and "nginx_static_br" in by:
        value = ratio(by["nginx_microcache_br"]["rps"], by["nginx_static_br"]["rps"])
        add(
            "article behind our nginx, gzip/br asked, vs the same brotli bytes as a static file",
            value,
            ">= 0.8x",
            bool(value and value >= 0.8),
            "",
        )
    if "worked_on" in by:
        row = by["worked_on"]
        add(
            "page cache hit ratio while the site is worked on (2,000 pages, Zipf)",
            row["hit_ratio"],
            ">= 0.95 and p99 < 50 ms",
            bool(
                row["hit_ratio"]
                and row["hit_ratio"] >= 0.95
                and row["p99_ms"] is not None
                and row["p99_ms"] < 50
            ),
            f"p99 {row['p99_ms']} ms, {row['rps']} requests/s",
        )
    base = smallest_run(history, run)
    if base and base["run"]["articles"] < run["articles"]:
        old = {row["key"]: row for row in base["rows"]}
        for key in ("article_uncached", "hub", "home"):
            if key in by and old.get(key, {}).get("p50_ms"):
                value = ratio(by[key]["p50_ms"], old[key]["p50_ms"])
                add(
                    f"{key} p50 vs {base['run']['articles']} articles",
                    value,
                    "<= 1.25x",
                    bool(value and value <= 1.25),
                    f"{old[key]['p50_ms']} -> {by[key]['p50_ms']} ms",
                )
        for page, ms in run.get("cpu_ms", {}).items():
            before = base["run"].get("cpu_ms", {}).get(page)
            if before:
                value = ratio(ms, before)
                add(
                    f"{page} CPU per request vs {base['run']['articles']} articles",
                    value,
                    "<= 1.25x",
                    bool(value and value <= 1.25),
                    f"{before} -> {ms} ms (in one process, no load)",
                )
    else:
        add(
            "p50 as the archive grows",
            None,
            "<= 1.25x",
            None,
            "this is the smallest archive measured: the baseline for larger runs",
        )
    if admin:
        for name, timing in admin.items():
            if timing.get("p50_ms") is None:
                add(f"admin {name} change list", None, "< 300 ms", None, timing.get("note", ""))
            else:
                add(
                    f"admin {name} change list",
                    timing["p50_ms"],
                    "< 300 ms",
                    timing["p50_ms"] < 300,
                    f"p50 {timing['p50_ms']} ms, max {timing['max_ms']} ms",
                )
    return targets


def density(run):
    """Comments per article: archives are compared only at the same density,
    so the article page shows a thread of the same length in both."""
    return round(run.get("comments", 0) / max(run["articles"], 1), 3)


def run_key(run):
    return (run["database"], run["articles"], run.get("comments", 0))


def smallest_run(history, run):
    same = [
        h
        for h in history
        if h["run"]["database"] == run["database"] and density(h["run"]) == density(run)
    ]
    return min(same, key=lambda h: h["run"]["articles"]) if same else None


def load_history():
    path = RESULTS / "history.json"
    return json.loads(path.read_text()) if path.exists() else []


def save(result):
    """latest.json, latest.md, history.json (the latest run per database, size and
    number of comments), a markdown file per such run, and the chart."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(result))
    run = result["run"]
    history = [h for h in load_history() if run_key(h["run"]) != run_key(run)]
    history.append(result)
    history.sort(key=lambda h: run_key(h["run"]))
    (RESULTS / "history.json").write_text(json.dumps(history, indent=2) + "\n")
    name = f"run-{run['database']}-{run['articles']}-articles-{run.get('comments', 0)}-comments.md"
    (RESULTS / name).write_text(markdown(result))
    return history


def _fmt(value, suffix=""):
    return "–" if value is None else f"{value}{suffix}"


def markdown(result):
    run = result["run"]
    lines = [
        f"# Benchmark: {run['articles']} articles, {run['comments']} comments ({run['database']})",
        "",
        f"{run['date']} · commit {run['commit']} · {run['cores']} cores · wrk {run['connections']} "
        f"connections, {run['duration']} s per row in {run['rounds']} interleaved rounds (the median "
        f"round is shown) · gunicorn {run['workers']} sync workers per server · load average before "
        f"the run {run['load_before']}",
        "",
        "| row | URL | requests/s | p50 ms | p99 ms | vs static file | non-2xx/3xx | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    static = next((r["rps"] for r in result["rows"] if r["key"] == "nginx_static"), None)
    for row in result["rows"]:
        lines.append(
            f"| {row['name']} | `{row['path']}` | {_fmt(row.get('rps'))} | {_fmt(row.get('p50_ms'))} "
            f"| {_fmt(row.get('p99_ms'))} | {_fmt(ratio(row.get('rps'), static))} "
            f"| {_fmt(row.get('failed_total'))} | {row.get('note', '')} |"
        )
    lines += [
        "",
        "## Targets (ratios within this run)",
        "",
        "| target | measured | goal | met | detail |",
        "|---|---:|---|---|---|",
    ]
    for t in result["targets"]:
        met = {True: "yes", False: "**no**", None: "–"}[t["met"]]
        lines.append(
            f"| {t['target']} | {_fmt(t['value'])} | {t['goal']} | {met} | {t['detail']} |"
        )
    if run.get("cpu_ms"):
        lines += [
            "",
            "CPU per request in one process, page cache off (no server, no load generator): "
            + ", ".join(f"{page} {ms} ms" for page, ms in run["cpu_ms"].items())
            + ".",
        ]
    lines += [
        "",
        "Noise between runs is about ±20 %: compare ratios within one run, not across runs.",
    ]
    if result.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in result["notes"]]
    return "\n".join(lines) + "\n"


CHART_SCRIPT = """
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
history = json.load(open(sys.argv[1]))
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
pages = [("article_uncached", "article"), ("hub", "hub"), ("home", "home")]
def density(run):
    return round(run.get("comments", 0) / max(run["articles"], 1), 3)
# One line per database and comment density (comments per article): only
# archives with threads of the same length are compared.
for series in sorted({(h["run"]["database"], density(h["run"])) for h in history}):
    runs = sorted((h for h in history if (h["run"]["database"], density(h["run"])) == series),
                  key=lambda h: h["run"]["articles"])
    name = f"{series[0]}, {series[1]:g} comments/article"
    for key, label in pages:
        points = [(h["run"]["articles"], r["p50_ms"]) for h in runs for r in h["rows"]
                  if r["key"] == key and r.get("p50_ms") is not None]
        if points:
            left.plot(*zip(*points), marker="o", label=f"{label} ({name})")
        short = "article" if key == "article_uncached" else key
        points = [(h["run"]["articles"], h["run"]["cpu_ms"][short]) for h in runs if "cpu_ms" in h["run"]]
        if points:
            right.plot(*zip(*points), marker="o", label=f"{label} ({name})")
for axis, title, ylabel in [
    (left, "p50 under load (wrk, 16 connections)", "p50 latency, ms"),
    (right, "CPU per request, one process, no load", "CPU ms per request"),
]:
    axis.set_xscale("log")
    axis.set_xlabel("articles in the archive")
    axis.set_ylabel(ylabel)
    axis.set_title(title, fontsize=10)
    axis.set_ylim(bottom=0)
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
fig.suptitle("Uncached pages (page cache off) against archive size")
fig.tight_layout()
fig.savefig(sys.argv[2])
"""


def chart(python_bin):
    """The PNG of p50 against archive size, drawn with matplotlib in the bench venv."""
    script = TMP / "chart.py"
    script.write_text(CHART_SCRIPT)
    out = RESULTS / "p50-by-archive-size.png"
    subprocess.run(  # noqa: S603
        [str(python_bin), str(script), str(RESULTS / "history.json"), str(out)],
        check=True,
        timeout=120,
    )
    return Path(out)
