"""How long a large Disqus export takes to import, and the memory it takes:

    .venv/bin/python bench/import_disqus.py [--posts 500000] [--postgres URL]

1. writes a Disqus export of our own making into bench/results/tmp/: one
   thread per 50 posts on average, each at an old `.html` address of an
   article; one post in three a reply, some to a parent listed later; one in
   fifty deleted or spam, one in a hundred without a dsq:id;
2. makes a fresh SQLite database there (and uses PostgreSQL too when
   BENCH_DATABASE_URL or --postgres names one), migrates it and loads the
   articles the threads belong to (manage.py load_archive);
3. runs `manage.py import_disqus` on it in a child process and reads that
   process's wall time and peak resident memory (ru_maxrss from wait4);
4. writes bench/results/import-disqus.md.

The target is a peak under 500 MB.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TMP = BENCH / "results" / "tmp"
RESULT = BENCH / "results" / "import-disqus.md"
PYTHON = REPO / ".venv" / "bin" / "python"
POSTS_PER_THREAD = 50
TARGET_MB = 500
SENTENCES = [
    "My knee hurt on the stairs after every long run.",
    "Strength work on the hips helped more than rest did.",
    "Does anyone else feel it more on downhill stretches?",
    "I changed shoes & the pain went away within a month.",
    "Physio said to cut my weekly distance by a third.",
]


def write_export(path, posts, slugs, rng):
    """A Disqus export of `posts` posts spread over threads on `slugs`."""
    threads = max(1, posts // POSTS_PER_THREAD)
    start = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
            '<category dsq:id="1"><forum>old</forum><title>General</title></category>\n'
        )
        for number in range(threads):
            slug = slugs[number % len(slugs)]
            out.write(
                f'<thread dsq:id="t{number}"><id/><link>https://old.example/{slug}.html</link>'
                f"<title>Page {number}</title><isDeleted>false</isDeleted></thread>\n"
            )
        for number in range(posts):
            thread = number % threads
            parent = ""
            if number >= threads and rng.random() < 1 / 3:
                # Usually an earlier post of the same thread; now and then a later one.
                offset = -threads if rng.random() < 0.9 else threads
                if 0 <= number + offset < posts:
                    parent = f'<parent dsq:id="p{number + offset}"/>'
            ident = "" if number % 100 == 99 else f' dsq:id="p{number}"'
            flags = rng.random()
            created = start + datetime.timedelta(minutes=number)
            text = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            out.write(
                f"<post{ident}><id/><message><![CDATA[<p>{text}</p><p>Post {number}.</p>]]>"
                f"</message><createdAt>{created:%Y-%m-%dT%H:%M:%SZ}</createdAt>"
                f"<isDeleted>{'true' if flags < 0.01 else 'false'}</isDeleted>"
                f"<isSpam>{'true' if 0.01 <= flags < 0.02 else 'false'}</isSpam>"
                f"<author><name>Reader {number % 997}</name>"
                f"<email>reader{number % 997}@mail.example</email></author>"
                f"<ipAddress>192.0.2.{number % 250}</ipAddress>"
                f'<thread dsq:id="t{thread}"/>{parent}</post>\n'
            )
        out.write("</disqus>\n")


def manage(env, *args, capture=False):
    return subprocess.run(  # noqa: S603 (our own fixed commands)
        [str(PYTHON), "manage.py", *args],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    ).stdout


def prepare(database_url, articles):
    """Migrate the database, load `articles` articles; their slugs."""
    env = {**os.environ, "DATABASE_URL": database_url}
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_archive", "--articles", str(articles), capture=True)
    slugs = manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article;"
        "print('\\n'.join(Article.objects.values_list('slug', flat=True)))",
        capture=True,
    )
    return env, slugs.split()


def timed_import(env, export):
    """(seconds, peak MB, report) of one `manage.py import_disqus` child process."""
    started = time.monotonic()
    log = (TMP / "import-disqus.log").open("w")
    child = subprocess.Popen(  # noqa: S603 (our own fixed command)
        [str(PYTHON), "manage.py", "import_disqus", str(export)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    log.close()
    if child.returncode:
        raise SystemExit(f"import_disqus failed; see {TMP / 'import-disqus.log'}")
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    report = (TMP / "import-disqus.log").read_text().splitlines()
    return seconds, peak_mb, [line for line in report if not line.startswith("  ")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()
    TMP.mkdir(parents=True, exist_ok=True)
    rng = random.Random(13)  # noqa: S311 (synthetic data)

    databases = [("SQLite", f"sqlite:///{TMP / 'import-disqus.sqlite3'}")]
    if options.postgres:
        databases.append(("PostgreSQL", options.postgres))
    articles = max(1, min(2000, options.posts // POSTS_PER_THREAD))
    export = TMP / f"disqus-{options.posts}.xml"
    rows = []
    for name, url in databases:
        if name == "SQLite":
            for suffix in ("", "-wal", "-shm"):
                Path(str(TMP / "import-disqus.sqlite3") + suffix).unlink(missing_ok=True)
        env, slugs = prepare(url, articles)
        slugs = sorted(slug for slug in slugs if slug.startswith("archive-"))
        if not export.exists() or name == "SQLite":
            write_export(export, options.posts, slugs, rng)
        print(f"{name}: importing {options.posts} posts from {export.name}…", file=sys.stderr)
        seconds, peak_mb, report = timed_import(env, export)
        rows.append((name, seconds, peak_mb, report))

    size_mb = export.stat().st_size / 1e6
    lines = [
        "# Disqus import benchmark",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, `bench/import_disqus.py "
        f"--posts {options.posts}`: an export of {options.posts:,} posts ({size_mb:.0f} MB) "
        f"over {max(1, options.posts // POSTS_PER_THREAD):,} threads on {articles:,} articles, "
        f"{os.cpu_count()} CPUs (a shared machine). Target: peak memory under {TARGET_MB} MB.",
        "",
        "| Database | Wall time | Peak memory (import process) | Within target |",
        "|---|---|---|---|",
    ]
    for name, seconds, peak_mb, _ in rows:
        within = "yes" if peak_mb < TARGET_MB else "NO"
        lines.append(f"| {name} | {seconds:.0f} s | {peak_mb:.0f} MB | {within} |")
    for name, _, _, report in rows:
        lines += ["", f"Report ({name}):", "", *(f"    {line}" for line in report)]
    RESULT.write_text("\n".join(lines) + "\n")
    print(RESULT.read_text())
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    main()
