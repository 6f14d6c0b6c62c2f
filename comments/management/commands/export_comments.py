"""manage.py export_comments [--format disqus|json] [OUTPUT]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.export import FORMATS, export_comments


class Command(BaseCommand):
    help = (
        "Write every comment with its article, parent, author, status and date as a Disqus XML "
        "import file or as JSON, to OUTPUT or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            type=Path,
            help="The file to write; it must not exist yet. Standard output when left out.",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="disqus",
            help="disqus (the Disqus XML import format, the default) or json.",
        )

    def handle(self, *args, output, format, **options):
        if output is None:
            export_comments(format=format, write=lambda piece: self.stdout.write(piece, ending=""))
            return
        try:
            target = output.open("x", encoding="utf-8")
        except FileExistsError:
            raise CommandError(f"{output} exists already; give a new file name.") from None
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        try:
            with target:
                export_comments(format=format, write=target.write)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
        self.stderr.write(f"Comments written to {output} ({format}).")
