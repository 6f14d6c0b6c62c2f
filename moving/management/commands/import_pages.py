"""manage.py import_pages SOURCE: move the old hosted site's pages in."""

import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from articles.archive import Progress
from moving.mirror import DEFAULT_MAX_BYTES, MirrorError, open_mirror
from moving.report import Report
from moving.site_import import ImportRefused, Options, import_pages

DEFAULT_REPORT = "import-pages-report.txt"


class Command(BaseCommand):
    help = (
        "Import a saved copy (mirror) of the old site: a folder, .zip or .tar.gz with one "
        ".html file per page, its images and its RSS file. Hubs become categories, other "
        "pages articles, the home page the site's introduction; images are copied, links "
        "rewritten, affiliate links registered and every old address redirected. Running it "
        "again changes nothing; pages edited in the admin since are kept unless --overwrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The mirror: a folder, a .zip or a .tar.gz file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the report; write nothing."
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="The old site's address, e.g. https://www.old-site.com (default: the home "
            "page's canonical link). Links to it are links between pages.",
        )
        status = parser.add_mutually_exclusive_group()
        status.add_argument(
            "--publish",
            dest="publish",
            action="store_true",
            default=True,
            help="Publish the articles at their old publication time (the default).",
        )
        status.add_argument(
            "--as-drafts",
            dest="publish",
            action="store_false",
            help="Import the articles as drafts, to review before publishing.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace pages that were edited in the admin since they were imported.",
        )
        parser.add_argument(
            "--report",
            default="",
            help=f"Where to write the report (default: {DEFAULT_REPORT}; a dry run writes "
            "one only when this is given).",
        )
        parser.add_argument(
            "--max-size",
            type=int,
            default=DEFAULT_MAX_BYTES // 1024**2,
            help="The most an archive may unpack to, in MB (default %(default)s).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar (shown anyway on a terminal).",
        )

    def handle(self, *args, **options):
        site_url = options["site_url"].strip().rstrip("/")
        if site_url:
            parts = urlsplit(site_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise CommandError(
                    f"--site-url {site_url!r} is not an address like https://www.old-site.com."
                )
        if options["max_size"] < 1:
            raise CommandError("--max-size must be at least 1 (MB).")
        dry_run = options["dry_run"]
        report = Report(f"Importing the pages of {options['source']}", dry_run=dry_run)
        settings = Options(
            dry_run=dry_run,
            site_url=site_url,
            publish=options["publish"],
            overwrite=options["overwrite"],
        )
        try:
            with open_mirror(options["source"], max_bytes=options["max_size"] * 1024**2) as mirror:
                progress = None
                if options["progress"] or sys.stderr.isatty():
                    progress = Progress(self.stderr, len(mirror.pages), "Importing pages")
                import_pages(mirror, options=settings, report=report, progress=progress)
        except (MirrorError, ImportRefused) as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        self.stdout.write(report.text(), ending="")
        path = options["report"] or ("" if dry_run else DEFAULT_REPORT)
        if path:
            try:
                report.write(path)
            except OSError as error:
                self.stderr.write(f"The report could not be written to {path}: {error}")
            else:
                self.stdout.write(f"Report written to {Path(path).resolve()}")
