"""Load the demo site: categories, affiliate links, articles, their
pictures and comments, and the affiliate disclosure page.

A command of the comments app because it fills both apps: the articles part
is articles.demo.loading, the comments part comments.demo. Running it again
changes nothing: anything that already exists (matched by slug) is left
exactly as it is, so an editor's changes to demo pages survive.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.demo.loading import load_demo_articles
from comments.demo import load_demo_comments


class Command(BaseCommand):
    help = (
        "Create the demo categories, affiliate links, articles, comments and disclosure page, "
        "leaving existing ones untouched."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = load_demo_articles() + load_demo_comments()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} objects created)."))
