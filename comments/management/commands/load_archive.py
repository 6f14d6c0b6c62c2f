"""Load a synthetic archive of a given size, for the benchmark (bench/run.py).

    manage.py load_archive --articles 100000 --comments 1000000

A command of the comments app because it fills both apps: the articles come
from articles.archive (realistic bodies, the demo pictures, categories of
their own, publish times one every 37 minutes back from an hour ago), the
approved comments and replies from here. Rows go in with bulk_create in
batches, behind a progress bar.

Running it again replaces the previous synthetic archive (slugs starting with
"archive-") and its comments; the demo content and anything an editor made
are left alone.
"""

import random
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.archive import (
    PREFIX,
    Progress,
    archive_articles,
    make_affiliate_link,
    replace_archive_articles,
    settle,
)
from comments.models import Comment


class Command(BaseCommand):
    help = "Replace the synthetic benchmark archive with one of the given size."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            help="Approved comments spread over the articles.",
        )

    def handle(self, *args, articles, comments, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        call_command("load_demo", stdout=self.stdout)
        make_affiliate_link()
        with transaction.atomic():
            # The previous archive's comments in one DELETE: the ORM's cascade
            # would load every one of them first (their replies' SET_NULL).
            archive = Comment.objects.filter(article__slug__startswith=PREFIX)
            archive._raw_delete(archive.db)
            replace_archive_articles(articles)
        if comments:
            self._comments(comments)
        settle()
        self.stdout.write(
            self.style.SUCCESS(f"Archive ready: {articles} articles, {comments} comments.")
        )

    def _comments(self, total):
        """`total` approved comments: a long thread on the benchmark's article,
        the rest mostly on the newest few hundred articles, one in five a
        reply to an earlier comment on the same article."""
        archive = archive_articles()
        now = timezone.now()
        rng = random.Random(6)  # noqa: S311 (synthetic data, not secrets)
        progress = Progress(sys.stdout, total, "comments")
        threads = {}  # article pk -> pks of its top-level comments so far
        made = 0
        while made < total:
            size = min(COMMENT_BATCH, total - made)
            plan = [_comment_article(made + n, archive, rng) for n in range(size)]
            tops, replies = [], []
            for pk, at in plan:
                (replies if rng.random() < 0.2 else tops).append((pk, at))
            rows = [
                _comment(rng, pk, at, now, parent_id=None, number=made + n)
                for n, (pk, at) in enumerate(tops)
            ]
            for comment in Comment.objects.bulk_create(rows, batch_size=COMMENT_BATCH):
                thread = threads.setdefault(comment.article_id, [])
                if len(thread) < 50:  # enough to answer; keeps memory flat
                    thread.append((comment.pk, comment.created_at))
            answers = []
            for n, (pk, at) in enumerate(replies, start=made + len(tops)):
                # A reply where the article has a comment to answer, else a comment.
                parent_pk, after = rng.choice(threads[pk]) if pk in threads else (None, at)
                answers.append(_comment(rng, pk, after, now, parent_id=parent_pk, number=n))
            Comment.objects.bulk_create(answers, batch_size=COMMENT_BATCH)
            made += len(rows) + len(answers)
            progress.update(made)


COMMENT_BATCH = 5000
COMMENT_NAMES = [
    "Dana",
    "Priya",
    "Tomasz",
    "Keiko",
    "Marcus",
    "Ines",
    "Olu",
    "Freya",
    "Sam",
    "Lucia",
]
COMMENT_SENTENCES = [
    "This matches what happened to me after I doubled my weekly hill work.",
    "My physio suggested the same strength routine and it helped within a month.",
    "I ran through the ache for two weeks and regretted it.",
    "Switching to a slightly higher cadence took most of the pain away.",
    "Does anyone know whether cycling is a safe way to keep fit meanwhile?",
    "The side planks felt pointless at first, but my hips are far steadier now.",
    "Thanks for explaining the difference between soreness and real pain.",
    "I started back with walk and run intervals, as described here, and it worked.",
    "Ice helped a little, but rest and gradual loading helped much more.",
    "My new shoes were the cause; going back to my old model fixed it.",
    "How long did it take the rest of you before running felt normal again?",
    "Foam rolling the outside of the thigh was painful but seemed to help.",
]


def _comment_article(number, archive, rng):
    """Which article comment `number` goes under: the first 600 make the
    benchmark article's long thread; then three in four go to the newest 300
    articles and the rest anywhere in the archive."""
    if number < 600:
        return archive[0]
    if rng.random() < 0.75:
        return archive[rng.randrange(min(300, len(archive)))]
    return archive[rng.randrange(len(archive))]


def _comment(rng, article_pk, after, now, *, parent_id, number):
    """One approved comment, posted at a random time between `after` (the
    article's publish time, or the comment it answers) and now."""
    created = after + (now - after) * rng.random()
    name = COMMENT_NAMES[number % len(COMMENT_NAMES)]
    text = " ".join(rng.sample(COMMENT_SENTENCES, rng.randint(1, 4)))
    return Comment(
        article_id=article_pk,
        parent_id=parent_id,
        name=name,
        email=f"{name.lower()}.{number}@mail.example",
        text=text,
        status=Comment.Status.APPROVED,
        created_at=created,
        approved_at=created,
    )
