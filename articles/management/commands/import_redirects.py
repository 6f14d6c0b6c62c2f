from django.core.management.base import BaseCommand, CommandError

from articles.redirects import (
    RedirectFileError,
    import_redirects,
    import_summary,
    read_redirects_csv,
)


class Command(BaseCommand):
    help = (
        "Import redirects from a CSV file of two columns, old address and new address "
        "(as the admin's Redirects → Import from CSV does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done, write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, "rb") as stream:
                data = stream.read()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            rows = import_redirects(read_redirects_csv(data), dry_run=dry_run)
        except RedirectFileError as error:
            raise CommandError(f"{file}: {error}") from None
        for row in rows:
            if row.outcome == "refused":
                self.stdout.write(f"line {row.line}: {row.old} → {row.new}: {row.reason}")
        self.stdout.write(import_summary(rows, dry_run=dry_run))
