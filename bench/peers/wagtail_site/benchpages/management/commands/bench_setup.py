"""Make the Wagtail peer's pages: one article with the given body, and ten
more so its Recent Articles list is as long as the site's."""

from pathlib import Path

from django.core.management.base import BaseCommand
from wagtail.models import Site

from benchpages.models import ArticlePage


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--body-file", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--summary", default="")

    def handle(self, *args, body_file, title, summary, **options):
        home = Site.objects.get(is_default_site=True).root_page
        for page in ArticlePage.objects.all():
            page.delete()
        body = Path(body_file).read_text()
        pages = [
            ArticlePage(
                title=f"{title}, note {number + 1}",
                slug=f"note-{number + 1}",
                summary=f"<p>{summary}</p>",
                body="<p>A shorter page.</p>",
            )
            for number in range(10)
        ]
        pages.append(
            ArticlePage(title=title, slug="article", summary=f"<p>{summary}</p>", body=body)
        )
        for page in pages:
            home.add_child(instance=page)
            page.save_revision().publish()
        self.stdout.write("Wagtail pages ready at /article/.")
