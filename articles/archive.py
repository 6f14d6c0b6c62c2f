"""The articles of a synthetic archive of a given size, for the benchmark
(bench/run.py). `manage.py load_archive` (comments/management/commands/)
loads it, with its comments.

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

from django.db import connection
from django.utils import timezone

from affiliates.models import AffiliateLink
from articles.demo import content
from articles.demo.loading import fill_placeholders
from articles.models import Article, Category
from articles.text import cut_at_word
from pagecache import content_changed

PREFIX = "archive-"
BODY_SIZE = 20_000
BATCH = 2000
# What fill_derived_fields makes from a body (with the body itself, cleaned).
DERIVED_FIELDS = [
    "body",
    "body_html",
    "body_text",
    "summary",
    "headings",
    "links",
    "citations",
    "intro_end",
    "banner_at",
]
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
    fields pages and search read (body_html, body_text, summary, the table of
    contents and the links) are filled once per variant here, by the model's
    own fill_derived_fields, not once per article."""
    bodies = [fill_placeholders(article["body"]) for article in content.ARTICLES]
    variants = []
    for index, own in enumerate(bodies):
        parts = [own]
        others = itertools.cycle(bodies[index + 1 :] + bodies[: index + 1])
        while sum(len(part) for part in parts) < BODY_SIZE:
            parts.append(next(others))
        article = Article(body="\n".join(parts))
        article.fill_derived_fields()
        variants.append({name: getattr(article, name) for name in DERIVED_FIELDS})
    return variants


def category_of(number, categories):
    """Every third article goes to the first category, the rest in turn to
    all of them: so the benchmark's hub has a full first page, and every
    category a full list on the home page, even in an archive of 100."""
    if number % 3 == 0:
        return categories[0]
    return categories[number % len(categories)]


def make_affiliate_link():
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


def replace_archive_articles(total):
    """Delete the previous archive's articles and make `total` new ones, in
    the archive's categories. The caller deletes their comments first."""
    Article.objects.filter(slug__startswith=PREFIX).delete()
    _articles(total, _categories())


def archive_articles():
    """The archive's articles, newest first, as (pk, published_at)."""
    return list(
        Article.objects.filter(slug__startswith=PREFIX)
        .order_by("-published_at")
        .values_list("pk", "published_at")
    )


def settle():
    """After loading: fresh statistics and every cached page made again."""
    if connection.vendor == "postgresql":
        # Fresh statistics, the visibility map, and the search index's
        # pending list merged, as autovacuum would leave a live site
        # (VACUUM cannot run inside a transaction, as in the tests).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    content_changed()


def _categories():
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


def _articles(total, categories):
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
                    # The demo article's own thumbnails, shared, so the
                    # first save of an archive article makes none anew.
                    thumbnail=picture.thumbnail.name if picture else "",
                    thumbnail_webp=picture.thumbnail_webp.name if picture else "",
                    status=Article.Status.PUBLISHED,
                    published_at=newest - timedelta(minutes=37 * number),
                    meta_description=cut_at_word(variant["body_text"], 155),
                )
            )
        Article.objects.bulk_create(batch)
        made += len(batch)
        progress.update(made)
