"""Load a synthetic archive of a given size, for the benchmark (bench/run.py).

    manage.py load_archive --articles 100000 --comments 1000000

Articles get realistic bodies (about 20 KB of HTML) assembled from the demo
text, the demo pictures (reused, never regenerated), six categories of their
own beside the demo ones, and publish times one every 37 minutes back from an
hour ago. Rows go in with bulk_create in batches, behind a progress bar.

Running it again replaces the previous synthetic archive (slugs starting with
"archive-"); the demo content and anything an editor made are left alone.
"""

import itertools
import random
import sys
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from affiliates.models import AffiliateLink
from articles.demo import content
from articles.management.commands.load_demo import fill_placeholders
from articles.models import Article, Category
from articles.text import cut_at_word
from injurysite.pagecache import content_changed

PREFIX = "archive-"
BODY_SIZE = 20_000
BATCH = 2000
GO_SLUG = "archive-knee-strap"  # the affiliate link bench/run.py follows
EXTRA_CATEGORIES = [
    "Knee Pain",
    "Foot and Ankle",
    "Hip and Glutes",
    "Shins and Calves",
    "Strength Training",
    "Returning After Injury",
]


class Progress:
    """A one-line progress bar on a terminal, plain lines elsewhere."""

    def __init__(self, stream, total, label):
        self.stream, self.total, self.label = stream, max(total, 1), label
        self.tty = stream.isatty()
        self.last = -1

    def update(self, done):
        percent = done * 100 // self.total
        if percent == self.last or (not self.tty and percent % 10 and done != self.total):
            return
        self.last = percent
        bar = "#" * (percent // 4)
        line = f"{self.label} [{bar:<25}] {percent:3d}% ({done}/{self.total})"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        if done == self.total and self.tty:
            self.stream.write("\n")
        self.stream.flush()


def body_variants():
    """One long body per demo article: its own text, then sections borrowed
    from the others until it reaches about BODY_SIZE characters. The derived
    fields pages and search read (body_html, body_text, summary) are filled
    once per variant here, by the model's own fill_derived_fields, not once
    per article."""
    bodies = [fill_placeholders(article["body"]) for article in content.ARTICLES]
    variants = []
    for index, own in enumerate(bodies):
        parts = [own]
        others = itertools.cycle(bodies[index + 1 :] + bodies[: index + 1])
        while sum(len(part) for part in parts) < BODY_SIZE:
            parts.append(next(others))
        article = Article(body="\n".join(parts))
        article.fill_derived_fields()
        variants.append(
            {
                "body": article.body,
                "body_html": article.body_html,
                "body_text": article.body_text,
                "summary": article.summary,
            }
        )
    return variants


def category_of(number, categories):
    """Every third article goes to the first category, the rest in turn to
    all of them: so the benchmark's hub has a full first page, and every
    category a full list on the home page, even in an archive of 100."""
    if number % 3 == 0:
        return categories[0]
    return categories[number % len(categories)]


class Command(BaseCommand):
    help = "Replace the synthetic benchmark archive with one of the given size."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            help="Approved comments spread over the articles (needs the comments app).",
        )

    def handle(self, *args, articles, comments, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        call_command("load_demo", stdout=self.stdout)
        self._affiliate_link()
        with transaction.atomic():
            self._delete_comments()
            Article.objects.filter(slug__startswith=PREFIX).delete()
            categories = self._categories()
            self._articles(articles, categories)
        if comments:
            self._comments(comments)
        if connection.vendor == "postgresql":
            # Fresh statistics, the visibility map, and the search index's
            # pending list merged, as autovacuum would leave a live site
            # (VACUUM cannot run inside a transaction, as in the tests).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        content_changed()
        self.stdout.write(
            self.style.SUCCESS(f"Archive ready: {articles} articles, {comments} comments.")
        )

    def _affiliate_link(self):
        """The link the benchmark's /go/ row follows (made before the articles,
        so its save has no long bodies to scan)."""
        AffiliateLink.objects.get_or_create(
            slug=GO_SLUG,
            defaults={
                "name": "Archive: knee support strap",
                "destination_url": "https://www.amazon.com/dp/B0BENCH001",
                "merchant": "Amazon",
                "tracking_tag": "injurysite-20",
            },
        )

    def _delete_comments(self):
        """The previous archive's comments in one DELETE: the ORM's cascade
        would load every one of them first (their replies' SET_NULL)."""
        if apps.is_installed("comments"):
            from comments.models import Comment

            archive = Comment.objects.filter(article__slug__startswith=PREFIX)
            archive._raw_delete(archive.db)

    def _categories(self):
        wanted = {PREFIX + title.lower().replace(" ", "-"): title for title in EXTRA_CATEGORIES}
        Category.objects.filter(slug__startswith=PREFIX).exclude(slug__in=wanted).delete()
        categories = list(Category.objects.exclude(slug__startswith=PREFIX))
        for position, (slug, title) in enumerate(wanted.items(), start=10):
            category, _ = Category.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "position": position,
                    "intro": f"<p>Articles about {title.lower()}, for runners.</p>",
                },
            )
            categories.append(category)
        return categories

    def _articles(self, total, categories):
        demo = content.ARTICLES
        pictures = {a.slug: a for a in Article.objects.filter(slug__in=[d["slug"] for d in demo])}
        variants = body_variants()
        newest = timezone.now() - timedelta(hours=1)
        progress = Progress(sys.stdout, total, "articles")
        made = 0
        while made < total:
            batch = []
            for number in range(made, min(made + BATCH, total)):
                source = demo[number % len(demo)]
                picture = pictures.get(source["slug"])
                variant = variants[number % len(variants)]
                batch.append(
                    Article(
                        title=f"{source['title']}, case {number + 1}",
                        slug=f"{PREFIX}{number + 1}-{source['slug']}",
                        category=category_of(number, categories),
                        **variant,
                        image=picture.image.name if picture else "",
                        image_alt=picture.image_alt if picture else "",
                        thumbnail=picture.thumbnail.name if picture else "",
                        status=Article.Status.PUBLISHED,
                        published_at=newest - timedelta(minutes=37 * number),
                        meta_description=cut_at_word(variant["body_text"], 155),
                    )
                )
            Article.objects.bulk_create(batch)
            made += len(batch)
            progress.update(made)

    def _comments(self, total):
        """`total` approved comments: a long thread on the benchmark's article,
        the rest mostly on the newest few hundred articles, one in five a
        reply to an earlier comment on the same article."""
        from comments.models import Comment

        archive = list(
            Article.objects.filter(slug__startswith=PREFIX)
            .order_by("-published_at")
            .values_list("pk", "published_at")
        )
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
    from comments.models import Comment

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
