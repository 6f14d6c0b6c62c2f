"""manage.py import_wordpress EXPORT.xml [--dry-run] [--publish | --as-drafts] [--overwrite]
[--media DIR] [--report FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moving.wordpress import NotAnExport, import_wordpress


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.0 to 1.2): posts and pages as "
        "articles, categories as hubs, comments with their replies, a redirect from every old "
        "permalink, and with --media the images. Running it again changes nothing; the report "
        "says what was done and what needs a look."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The XML file WordPress exported.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything and print the report, then store nothing.",
        )
        status = parser.add_mutually_exclusive_group()
        status.add_argument(
            "--publish",
            action="store_true",
            help="Publish what was published on WordPress (the default); drafts stay drafts.",
        )
        status.add_argument(
            "--as-drafts",
            action="store_true",
            help="Import every post and page as a draft, to review and publish in the admin.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace articles that were edited in the admin since an earlier import.",
        )
        parser.add_argument(
            "--media",
            type=Path,
            help="A copy of the old site's wp-content/uploads folder: the images posts show "
            "are copied from it into MEDIA_ROOT. Nothing is ever fetched from the old site.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Also write the report to this file (it must not exist yet).",
        )

    def handle(self, *args, export, dry_run, as_drafts, overwrite, media, report, **options):
        if not export.is_file():
            raise CommandError(f"No export file at {export}.")
        if media is not None and not media.is_dir():
            raise CommandError(
                f"No folder at {media} (--media takes a copy of wp-content/uploads)."
            )
        if report is not None:
            if report.exists():
                raise CommandError(f"{report} already exists; give a new file for the report.")
            if not report.parent.is_dir():
                raise CommandError(f"No folder {report.parent} to write the report in.")
        try:
            outcome = import_wordpress(
                source=export,
                dry_run=dry_run,
                as_drafts=as_drafts,
                overwrite=overwrite,
                media=media,
            )
        except NotAnExport as error:
            raise CommandError(str(error)) from None
        self.stdout.write(outcome.text(), ending="")
        if report is not None:
            outcome.write(report)
            self.stdout.write(f"The report is also in {report}.")
