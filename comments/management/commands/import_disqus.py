"""manage.py import_disqus EXPORT.xml [--url-map MAP.csv] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.disqus import import_export, read_url_map


class Command(BaseCommand):
    help = (
        "Import the comments of a Disqus XML export as approved comments. Threads are matched "
        "to articles by URL path or slug (old .html addresses included); running it again adds "
        "nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The XML file exported from Disqus.")
        parser.add_argument(
            "--url-map",
            type=Path,
            help="A CSV file of `old URL,article slug` rows for pages whose address changed.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then store nothing.",
        )

    def handle(self, *args, export, url_map, dry_run, **options):
        if not export.is_file():
            raise CommandError(f"No export file at {export}.")
        mapping = {}
        if url_map:
            if not url_map.is_file():
                raise CommandError(f"No URL map at {url_map}.")
            with url_map.open(newline="", encoding="utf-8") as lines:
                mapping = read_url_map(lines)
        with export.open("rb") as source:
            report = import_export(
                source=source, url_map=mapping, dry_run=dry_run, progress=self._progress
            )

        heading = "Dry run: nothing was stored." if dry_run else "Import finished."
        self.stdout.write(self.style.SUCCESS(heading))
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {report.imported}")
        self.stdout.write(f"Already imported before: {report.already_imported}")
        self.stdout.write(f"Skipped as deleted or spam: {report.deleted_or_spam}")
        self.stdout.write(
            f"Orphans whose parent is missing (imported as top-level comments): {report.orphans}"
        )
        self.stdout.write(
            f"Threads with no matching article: {len(report.unmatched_threads)} "
            f"({report.in_unmatched_threads} posts not imported)"
        )
        for url in report.unmatched_threads:
            self.stdout.write(f"  {url}")
        if report.unmatched_threads:
            self.stdout.write("Map these addresses to article slugs with --url-map and run again.")

    def _progress(self, done, total):
        self.stdout.write(f"Processed {done} of {total} posts…")
