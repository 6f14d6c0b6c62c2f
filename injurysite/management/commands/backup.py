from django.core.management.base import BaseCommand, CommandError

from injurysite.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the database and the media folder to one new .tar.gz archive "
        "(readable by its owner only). Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="The archive to create, e.g. backups/site-2025-02-26.tar.gz."
        )

    def handle(self, *args, archive, **options):
        try:
            media_files = create_backup(archive=archive)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the database and {media_files} media files to {archive}."
            )
        )
