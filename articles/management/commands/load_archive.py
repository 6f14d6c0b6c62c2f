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
import sys
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.demo import content
from articles.management.commands.load_demo import fill_placeholders
from articles.models import Article, Category
from articles.sanitize import sanitize_html
from articles.text import cut_at_word, html_to_text
from injurysite.pagecache import content_changed

PREFIX = "archive-"
BODY_SIZE = 20_000
BATCH = 2000
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
    from the others until it reaches about BODY_SIZE characters. Each is
    sanitised once here, not once per article."""
    bodies = [fill_placeholders(article["body"]) for article in content.ARTICLES]
    variants = []
    for index, own in enumerate(bodies):
        parts = [own]
        others = itertools.cycle(bodies[index + 1 :] + bodies[: index + 1])
        while sum(len(part) for part in parts) < BODY_SIZE:
            parts.append(next(others))
        body = sanitize_html("\n".join(parts))
        variants.append((body, cut_at_word(html_to_text(body), 200)))
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
        with transaction.atomic():
            Article.objects.filter(slug__startswith=PREFIX).delete()
            categories = self._categories()
            self._articles(articles, categories)
        if comments:
            self._comments(comments)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        content_changed()
        self.stdout.write(
            self.style.SUCCESS(f"Archive ready: {articles} articles, {comments} comments.")
        )

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
                body, summary = variants[number % len(variants)]
                batch.append(
                    Article(
                        title=f"{source['title']}, case {number + 1}",
                        slug=f"{PREFIX}{number + 1}-{source['slug']}",
                        category=category_of(number, categories),
                        body=body,
                        summary=summary,
                        image=picture.image.name if picture else "",
                        image_alt=picture.image_alt if picture else "",
                        thumbnail=picture.thumbnail.name if picture else "",
                        status=Article.Status.PUBLISHED,
                        published_at=newest - timedelta(minutes=37 * number),
                        meta_description=summary[:160],
                    )
                )
            Article.objects.bulk_create(batch)
            made += len(batch)
            progress.update(made)

    def _comments(self, total):
        # Hook for the comments app (issue 3): once comments.models.Comment is
        # merged, build `total` approved comments here with bulk_create in
        # batches of BATCH, spread over the synthetic articles (most on the
        # newest few hundred, a long thread of 500+ on the benchmark's
        # article), with the same Progress bar.
        raise CommandError("--comments needs the comments app, which is not merged yet.")
