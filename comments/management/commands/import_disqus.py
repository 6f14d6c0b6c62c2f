"""manage.py import_disqus EXPORT.xml [--url-map MAP.csv] [--dry-run] [--include-hidden] [--progress]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.archive import Progress
from comments.disqus import NotAnExport, import_export
from comments.old_addresses import read_url_map


class Command(BaseCommand):
    help = (
        "Import the comments of a Disqus XML export. Threads are matched to articles by old "
        "address (with --url-map for addresses that changed) or slug; running it again adds "
        "nothing new. The report names every post left out and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The XML file exported from Disqus.")
        parser.add_argument(
            "--url-map",
            type=Path,
            help="A CSV file of `old URL,article slug` rows for pages whose address changed "
            "(the path and the query count: /?p=123 is its own address).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then store nothing.",
        )
        parser.add_argument(
            "--include-hidden",
            action="store_true",
            help="Keep spam posts as spam and deleted posts as removed comments (hidden from "
            "readers) instead of leaving them out: for restoring an export_comments file.",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show progress on stderr even when it is not a terminal.",
        )

    def handle(self, *args, export, url_map, dry_run, include_hidden, progress, **options):
        if not export.is_file():
            raise CommandError(f"No export file at {export}.")
        mapping = {}
        if url_map:
            if not url_map.is_file():
                raise CommandError(f"No URL map at {url_map}.")
            with url_map.open(newline="", encoding="utf-8") as lines:
                mapping = read_url_map(lines)
        show = None
        if progress or sys.stderr.isatty():
            bars = []

            def show(done, total):
                if not bars:
                    bars.append(Progress(sys.stderr, total, "posts"))
                bars[0].update(done)

        try:
            report = import_export(
                source=export,
                url_map=mapping,
                dry_run=dry_run,
                include_hidden=include_hidden,
                progress=show,
            )
        except NotAnExport as error:
            raise CommandError(str(error)) from None
        self._report(report, dry_run=dry_run)

    def _report(self, report, *, dry_run):
        write = self.stdout.write
        heading = "Dry run: nothing was stored." if dry_run else "Import finished."
        write(self.style.SUCCESS(heading))
        write(f"Posts in the export: {report.total}")
        write(f"{'Would import' if dry_run else 'Imported'}: {report.imported}")
        write(f"Already imported before: {report.already_imported}")
        write(f"Left out: {len(report.dropped)}")
        for post, why in report.dropped:
            write(f"  post {post}: {why}")
        write(f"Imported with a repair: {len(report.repaired)}")
        for post, what in report.repaired:
            write(f"  post {post}: {what}")
        write(f"Replies whose parent is missing (imported at the top level): {len(report.orphans)}")
        for post, parent in report.orphans:
            write(f"  post {post}: parent {parent}")
        in_unmatched = sum(posts for _, posts in report.unmatched_threads)
        write(
            f"Threads with no matching article: {len(report.unmatched_threads)} "
            f"({in_unmatched} posts not imported)"
        )
        for url, posts in report.unmatched_threads:
            write(f"  {url} ({posts} post{'' if posts == 1 else 's'})")
        if report.unmatched_threads:
            write("Map these addresses to article slugs with --url-map and run again.")
