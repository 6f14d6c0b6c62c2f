from django.core.management.base import BaseCommand, CommandError

from injurysite.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an empty database and an "
        "empty media folder. Run `manage.py migrate` afterwards if the site's code is newer."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive made by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even though the database or the media folder holds something: "
            "what the archive holds replaces it.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            media_files = restore_backup(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {media_files} media files from {archive}."
            )
        )
