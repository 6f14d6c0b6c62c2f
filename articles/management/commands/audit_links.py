from django.core.management.base import BaseCommand, CommandError

from articles.audit import audit_links, refresh_links


class Command(BaseCommand):
    help = (
        "Report orphaned articles, internal links that answer 404 or lead to unpublished "
        "pages, images whose file is missing and citations without a reference. Exits with "
        "status 1 when anything but orphans is found (for a CI of the site's content)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="First record every article's internal links again from its stored body "
            "(once after upgrading, or after a bulk load).",
        )

    def handle(self, *args, refresh=False, **options):
        if refresh:
            self.stdout.write(f"Recorded the links of {refresh_links()} article(s).")
        report = audit_links()
        for heading, problems in report.sections():
            self.stdout.write(f"{heading}: {len(problems)}")
            for problem in problems:
                self.stdout.write(
                    f"  {problem.page.get_absolute_url()}  {problem.what}  {problem.why}"
                )
        self.stdout.write(f"Orphaned articles (nothing links to them): {len(report.orphans)}")
        for article in report.orphans:
            self.stdout.write(f"  {article.get_absolute_url()}  {article.title}")
        if report.is_broken:
            raise CommandError(f"The link audit found {len(report.problems)} problem(s).")
        self.stdout.write("No broken links, missing images or citations without a reference.")
