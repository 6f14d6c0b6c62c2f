"""How long a 2,000-page old site takes to move in, and the memory it takes:

    .venv/bin/python bench/import_pages.py [--articles 2000]

1. writes a mirror of the made-up old site of the tests (tests/moving/oldsite.py:
   the home page, three hubs and N articles, each with its images, banners,
   Amazon links, call-outs, tables, ads and links in every old form) into
   bench/results/tmp/, as a folder;
2. makes a fresh SQLite database and media folder there and migrates it;
3. runs `manage.py import_pages` on the mirror in a child process and reads
   that process's wall time and peak resident memory (ru_maxrss from wait4),
   then runs it again (the second run changes nothing);
4. writes bench/results/issue13-import-pages.md.

The target is a peak under 500 MB. Run it by hand; it is not part of the tests.
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from tests.moving.oldsite import write_mirror  # noqa: E402

TMP = BENCH / "results" / "tmp" / "import-pages"
RESULT = BENCH / "results" / "issue13-import-pages.md"
PYTHON = REPO / ".venv" / "bin" / "python"
TARGET_MB = 500


def timed(env, *args):
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 (our own fixed command)
        [str(PYTHON), "manage.py", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(f"import_pages failed:\n{out}")
    # ru_maxrss is in kilobytes on Linux.
    return seconds, usage.ru_maxrss / 1024, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    shutil.rmtree(TMP, ignore_errors=True)
    TMP.mkdir(parents=True)
    started = time.perf_counter()
    site = write_mirror(TMP / "mirror", articles=args.articles)
    pages = args.articles + 4
    written = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in site.folder.rglob("*") if p.is_file()) / 1024**2
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{TMP / 'db.sqlite3'}",
        "MEDIA_ROOT": str(TMP / "media"),
    }
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "migrate", "--verbosity", "0"], cwd=REPO, env=env, check=True
    )
    first = timed(env, "import_pages", str(site.folder), "--report", str(TMP / "first.txt"))
    second = timed(env, "import_pages", str(site.folder), "--report", str(TMP / "second.txt"))
    summary = "\n".join(first[2].splitlines()[2:28])
    again = "\n".join(second[2].splitlines()[2:28])
    lines = [
        "# import_pages: a 2,000-page old site on SQLite",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `bench/import_pages.py "
        f"--articles {args.articles}` on a shared 2-core machine (other work was running).",
        f"The mirror: {pages:,} pages ({args.articles:,} articles, 3 hubs, the home page) and "
        f"their images, {size_mb:.1f} MB, written in {written:.1f} s.",
        "",
        "| run | wall time | peak memory (ru_maxrss) |",
        "|---|---|---|",
        f"| first import | {first[0]:.1f} s | {first[1]:.0f} MB |",
        f"| second import (changes nothing) | {second[0]:.1f} s | {second[1]:.0f} MB |",
        "",
        f"Target: peak memory under {TARGET_MB} MB: "
        f"{'met' if max(first[1], second[1]) < TARGET_MB else 'NOT met'}.",
        "",
        "Report of the first import (counts):",
        "",
        "```",
        summary,
        "```",
        "",
        "Report of the second import (counts):",
        "",
        "```",
        again,
        "```",
        "",
    ]
    RESULT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
