from collections import defaultdict

from ckeditor_uploader.fields import RichTextUploadingField
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.headings import assign_heading_ids
from articles.links import adopt_links, follow_renamed
from articles.models.article import Article, published_condition
from articles.sanitize import sanitize_html
from articles.slugs import validate_slug_is_free
from pagecache import PageContentQuerySet, content_changed


class CategoryQuerySet(PageContentQuerySet):
    def with_newest_articles(self, count):
        """The categories as a list, each with `newest_articles`: its `count` newest
        published articles, and `has_more_articles`.

        Two queries whatever the size of the archive: the categories, each with
        the publish time of its (count + 1)th newest article (an indexed lookup
        per category), then the articles at or after each category's time, read
        through the (category, status, published_at) index.
        """
        published = Article.objects.published()
        cutoff = (
            published.filter(category=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[count : count + 1]
        )
        categories = list(self.annotate(articles_cutoff=Subquery(cutoff)))
        if not categories:
            return categories
        # Every branch names the category, status and time range, so each is a
        # range of the (category, status, published_at) index (SQLite's
        # "MULTI-INDEX OR", PostgreSQL's BitmapOr) rather than a walk through
        # every published article.
        now = timezone.now()
        condition = Q()
        for category in categories:
            branch = Q(category_id=category.pk) & published_condition(now=now)
            if category.articles_cutoff is not None:
                branch &= Q(published_at__gte=category.articles_cutoff)
            condition |= branch
        by_category = defaultdict(list)
        for article in Article.objects.for_listing().filter(condition).order_by("-published_at"):
            by_category[article.category_id].append(article)
        for category in categories:
            articles = by_category[category.pk]
            category.newest_articles = articles[:count]
            category.has_more_articles = len(articles) > count
        return categories


class Category(models.Model):
    """An injury category: a hub page that lists its articles."""

    title = models.CharField(
        max_length=200,
        help_text="The hub page's heading, e.g. “Are You Prone to Running Injuries?”. "
        "Articles link back to it with “Return to …”.",
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The page's address: /slug/. Letters, numbers and hyphens; it may not be "
        "used by an article or by a page of the site itself.",
    )
    intro = RichTextUploadingField(
        blank=True, help_text="Text shown above the list of articles on the hub page."
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text="Categories are listed in the navigation from the lowest number up.",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="One or two sentences that search engines may show under the title.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        default=12,
        help_text="How long a medical review of this category's articles holds before the next "
        "is due, unless an article sets its own interval.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "injury category"
        verbose_name_plural = "injury categories"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        stored = Category.objects.filter(pk=self.pk).values_list("slug", flat=True)
        old_slug = stored.first() if self.pk is not None else None
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._follow_review_interval()
            if old_slug and old_slug != self.slug:
                follow_renamed(category=self)
            if old_slug != self.slug:
                adopt_links(category=self)
        content_changed(using=self._state.db)

    def _follow_review_interval(self):
        """Move the due dates of the reviewed articles that use this category's interval."""
        reviewed = self.articles.filter(
            review_interval_months__isnull=True, reviewed_on__isnull=False
        ).only("pk", "reviewed_on", "review_interval_months", "review_due_on", "category_id")
        changed = []
        for article in reviewed:
            article.category = self
            due = article.next_review_due()
            if due != article.review_due_on:
                article.review_due_on = due
                changed.append(article)
        if changed:
            Article.objects.bulk_update(changed, ["review_due_on"])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(using=self._state.db)
        return result

    def fill_derived_fields(self):
        """Clean the intro as its page shows it (a preview does this without saving)."""
        self.intro = assign_heading_ids(sanitize_html(self.intro))

    def clean(self):
        if self.slug:
            validate_slug_is_free(self.slug, instance=self)
