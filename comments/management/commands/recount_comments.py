"""Rebuild every article's tally of approved comments from the comments.

The database triggers keep the tally (comments.models.CommentTally); this is
for a database whose rows were changed with the triggers off, such as a
restore made by hand, and answers with what it corrected.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count

from comments.models import Comment, CommentTally
from pagecache import content_changed


class Command(BaseCommand):
    help = "Count every article's approved comments again and correct the stored tallies."

    def handle(self, *args, **options):
        with transaction.atomic():
            counted = dict(
                Comment.objects.approved()
                .order_by()
                .values_list("article")
                .annotate(count=Count("pk"))
            )
            stored = dict(CommentTally.objects.values_list("article_id", "approved"))
            wrong = {
                pk
                for pk in counted.keys() | stored.keys()
                if counted.get(pk, 0) != stored.get(pk, 0)
            }
            CommentTally.objects.filter(article_id__in=wrong).delete()
            CommentTally.objects.bulk_create(
                CommentTally(article_id=pk, approved=counted[pk]) for pk in wrong if counted.get(pk)
            )
        if wrong:
            content_changed()
        self.stdout.write(f"{len(wrong)} article(s) corrected.")
