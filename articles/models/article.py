from calendar import monthrange
from datetime import timedelta

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from articles.headings import Heading
from articles.images import make_thumbnail
from articles.links import moved_links, resolve_links
from articles.models.reference import Reference
from articles.rendering import render_body
from articles.saving import SHOWN_ON_ITS_PAGE_ALONE, article_saved
from articles.search import match_and_rank
from articles.slugs import validate_slug_is_free
from articles.text import cut_at_word
from core.images import clean_new_image, validate_image_file
from core.urls import cached_reverse
from pagecache import PageContentQuerySet, content_changed


def published_condition(*, through="", now=None):
    """The rule for articles a reader may see, as a condition: published, with
    a publish time now or past.

    ArticleQuerySet.published() applies it; it is also there for what a
    queryset cannot carry: one branch of an OR, or the filter of an aggregate
    over a relation (`through="articles__"`). Article.is_published states the
    same rule for one article.
    """
    return Q(
        **{
            f"{through}status": Article.Status.PUBLISHED,
            f"{through}published_at__lte": now or timezone.now(),
        }
    )


_NOT_READ = object()


def add_months(day, months):
    """`day` moved `months` later, on the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


class JSONList(models.Aggregate):
    """The grouped values as one JSON array, on both databases."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _tag_list(through, target, **fields):
    """A subquery: the article's tags through `through`, as a JSON list of objects."""
    values = JSONObject(**{name: f"{target}__{field}" for name, field in fields.items()})
    return Subquery(
        through.objects.filter(article_id=OuterRef("pk"))
        .values("article_id")
        .annotate(items=JSONList(values))
        .values("items")
    )


class ArticleQuerySet(PageContentQuerySet):
    def published(self):
        """Articles a reader may see (published_condition)."""
        return self.filter(published_condition())

    def next_publish_time(self):
        """When the next scheduled article becomes visible, or None if none is scheduled."""
        return (
            self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def for_listing(self):
        """Only the columns a summary shows, so listings never load bodies."""
        return self.only(
            "title",
            "slug",
            "summary",
            "image_alt",
            "thumbnail",
            "thumbnail_webp",
            "published_at",
            "status",
            "category_id",
        )

    def open_for_comments(self):
        """Articles that accept new comments: the flag is on and, when
        COMMENTS_CLOSE_AFTER_DAYS is set, they were published fewer days ago."""
        articles = self.filter(comments_enabled=True)
        if settings.COMMENTS_CLOSE_AFTER_DAYS:
            cutoff = timezone.now() - timedelta(days=settings.COMMENTS_CLOSE_AFTER_DAYS)
            articles = articles.filter(published_at__gt=cutoff)
        return articles

    def with_comment_counts(self):
        """Each article with `approved_comment_count`, from its tally (one join).

        The tally is the comments app's CommentTally, kept by database triggers;
        it is reached through its relation, as articles never import comments.
        """
        return self.annotate(approved_comment_count=Coalesce(F("comment_tally__approved"), 0))

    def with_taxonomy(self):
        """Each article with `region_list` and `symptom_list` (dicts of slug,
        name and position, in list order), read in the article's own query:
        the page's links and structured data cost no query of their own."""
        regions = _tag_list(
            Article.regions.through, "bodyregion", slug="slug", name="name", position="position"
        )
        symptoms = _tag_list(
            Article.symptoms.through,
            "symptom",
            slug="slug",
            name="name",
            position="position",
            region="region__slug",
            region_position="region__position",
        )
        return self.annotate(region_rows=regions, symptom_rows=symptoms)

    def review_due(self, *, within_days=0):
        """Reviewed articles whose next review is due within `within_days` days
        (0: today or overdue), or whose body changed since the review."""
        until = timezone.localdate() + timedelta(days=within_days)
        return self.filter(Q(review_due_on__lte=until) | Q(changed_since_review=True))

    def with_reference_flag(self):
        """Each article with `has_references`, so a page without any reads none."""
        references = Reference.objects.filter(article=models.OuterRef("pk"))
        return self.annotate(has_references=models.Exists(references))

    def search(self, query):
        """Articles matching `query`, best match first, among the newest
        SEARCH_MAX_MATCHES that match (settings; None for no limit).

        Full-text on both databases (articles/search.py): every word, stemmed,
        a match in the title ranked above one in the excerpt above one in the
        body, the newer first among equals. The limit keeps a word found in
        most of a large archive ("knee") from ranking and counting every
        article on each request.
        """
        matches, rank = match_and_rank(self, query)
        matches = self._newest_of(matches, settings.SEARCH_MAX_MATCHES)
        return matches.annotate(rank=rank).order_by("-rank", "-published_at")

    def _newest_of(self, matches, limit):
        """The newest `limit` of `matches` (all of them when `limit` is falsy)."""
        if not limit:
            return matches
        newest = matches.order_by("-published_at").values("pk")[:limit]
        return self.filter(pk__in=models.Subquery(newest))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        max_length=200,
        help_text="The article's heading, shown in large type at the top of its page.",
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address: /slug/. It may not be used by a category or by a "
        "page of the site itself.",
    )
    category = models.ForeignKey(
        "articles.Category",
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The hub page this article belongs to; its “Return to …” link goes there.",
    )
    body = RichTextUploadingField(
        help_text="The article itself, from the intro to the last section."
    )
    excerpt = models.TextField(
        blank=True,
        help_text="A sentence or two for listings. Leave empty to use the start of the body; "
        f"either is cut at about {settings.EXCERPT_LENGTH} characters.",
    )
    body_html = models.TextField(
        editable=False,
        blank=True,
        help_text="The body as pages show it: images with their sizes and resized copies.",
    )
    summary = models.TextField(editable=False, blank=True)
    headings = models.JSONField(
        default=list,
        editable=False,
        blank=True,
        help_text="The body's h2 and h3 headings as [level, id, text], for the table of contents.",
    )
    links = models.JSONField(
        default=list,
        editable=False,
        blank=True,
        help_text="Every link in body_html as [address, start, end of its start tag, end]: "
        "where it points (this site's pages, /go/ links, shops) and where it sits.",
    )
    citations = models.JSONField(
        default=list,
        editable=False,
        blank=True,
        help_text="Every [ref N] citation in the body as [N, id of its link], in order: the "
        "References list links back to each.",
    )
    intro_end = models.PositiveIntegerField(
        default=0, editable=False, help_text="Where body_html's intro ends: its first h2."
    )
    banner_at = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Where in body_html the banner after the intro goes.",
    )
    body_text = models.TextField(
        editable=False, blank=True, help_text="The body's words without markup, for site search."
    )
    # PostgreSQL only: title, excerpt and body_text as a weighted tsvector,
    # kept by a database trigger and GIN-indexed (migration 0006), so a search
    # reads the index instead of parsing every body. Empty on SQLite, which
    # keeps an FTS5 table instead (migration 0008).
    search_document = SearchVectorField(null=True, editable=False)
    image = models.ImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        validators=[validate_image_file],
        help_text="The picture shown beside the article in listings and when the article is "
        "shared. A JPEG, PNG, WebP or GIF file.",
    )
    image_alt = models.CharField(
        "image alt text",
        max_length=200,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
    thumbnail = models.ImageField(upload_to="thumbs/%Y/%m/", editable=False, blank=True)
    thumbnail_webp = models.ImageField(upload_to="thumbs/%Y/%m/", editable=False, blank=True)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published articles are shown to readers.",
    )
    published_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        help_text="A published article with a time in the future stays hidden until then: "
        "set a future time to schedule it.",
    )
    updated_on = models.DateField(
        "updated",
        null=True,
        blank=True,
        help_text="Set this when you change the article's advice in a way readers should know "
        "about; it is shown under the title as “Updated”.",
    )
    condition_name = models.CharField(
        "injury's medical name",
        max_length=200,
        blank=True,
        help_text="The injury as a clinician names it, e.g. “Patellofemoral pain syndrome”, for "
        "search engines. Leave empty to use the title.",
    )
    symptoms = models.ManyToManyField(
        "articles.Symptom",
        blank=True,
        related_name="articles",
        help_text="The symptoms this article explains: it is listed under each on /find/, the "
        "articles explaining fewest symptoms (the most focused) first.",
    )
    regions = models.ManyToManyField(
        "articles.BodyRegion",
        blank=True,
        related_name="articles",
        help_text="The parts of the body this article concerns. An article with neither "
        "symptoms nor regions (gear, training) is not treated as medical content.",
    )
    reviewer = models.ForeignKey(
        "articles.Reviewer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_articles",
        verbose_name="medically reviewed by",
        help_text="The clinician who checked the article. Shown under the title, linking to "
        "their profile.",
    )
    reviewed_on = models.DateField(
        "medically reviewed on",
        null=True,
        blank=True,
        help_text="The day the clinician checked the article. Prefer the “Sign off review” "
        "action of Reviews due, which sets it and records the sign-off in the history.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        null=True,
        blank=True,
        help_text="How long a review holds before the next one is due. Leave empty to use "
        "the category's interval.",
    )
    review_due_on = models.DateField("next review due", null=True, editable=False, db_index=True)
    changed_since_review = models.BooleanField(
        default=False,
        editable=False,
        help_text="The body changed after its last review; cleared by the next sign-off.",
    )
    toc_enabled = models.BooleanField(
        "show a table of contents",
        default=False,
        help_text="Lists the article's section headings, with links, after its intro.",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="One or two sentences that search engines may show under the title.",
    )
    comments_enabled = models.BooleanField(
        "comments open",
        default=True,
        help_text="Untick to close comments on this article. Readers still see the approved "
        "comments and are told that comments are closed.",
    )
    banner_after_intro = models.ForeignKey(
        "affiliates.AffiliateLink",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles_after_intro",
        limit_choices_to={"kind": "banner"},
        help_text="A banner shown after the article's intro. The intro is everything before the "
        "first heading (h2); when it contains a NOTE call-out (a paragraph styled “note”), the "
        "banner goes right after that call-out instead. Without any heading it ends the text.",
    )
    banner_sidebar = models.ForeignKey(
        "affiliates.AffiliateLink",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles_in_sidebar",
        limit_choices_to={"kind": "banner"},
        help_text="A banner shown at the top of the sidebar, beside this article only.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Every save keeps a revision; derived fields are made again on restore.
    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "body_text",
            "banner_at",
            "citations",
            "headings",
            "intro_end",
            "links",
            "review_due_on",
            "search_document",
            "summary",
            "thumbnail",
            "thumbnail_webp",
            "updated_at",
        ]
    )

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            # Recent Articles and the next scheduled publish time.
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # A hub's articles and the home page's newest per category.
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_public_idx"
            ),
            # The admin's list (every status, newest first) and search's newest matches.
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("articles:page", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "image" in field_names:
            instance._loaded_image_name = values[field_names.index("image")]
        return instance

    def clean(self):
        if self.slug:
            validate_slug_is_free(self.slug, instance=self)
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Describe the image for readers who cannot see it."}
            )
        if self.reviewed_on and self.reviewer_id is None:
            raise ValidationError(
                {"reviewer": "Name the clinician who reviewed the article on that day."}
            )

    def save(self, *args, **kwargs):
        """Fill the derived fields and save; the row, its revision and what
        follows from it (articles.saving.article_saved) are one transaction."""
        self.fill_derived_fields()
        clean_new_image(self.image)
        self._refresh_thumbnail()
        with transaction.atomic():
            stored = self._stored_row()
            old_slug = stored["slug"] if stored and stored["is_public"] else None
            shown_elsewhere_changed = self._shown_elsewhere_changed(stored)
            self._follow_review(stored)
            super().save(*args, **kwargs)
            article_saved(
                article=self, old_slug=old_slug, shown_elsewhere_changed=shown_elsewhere_changed
            )
        self._loaded_image_name = self.image.name

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(using=self._state.db)
        return result

    def fill_derived_fields(self):
        """Clean the body and derive what pages, search and listings read from it;
        bulk loaders call it before bulk_create."""
        rendered = render_body(self.body)
        # Links to pages of this site, by page; one that has moved since it
        # was written is shown on the page's new address (articles.links).
        self._link_targets = resolve_links(article=self, hrefs=[link[0] for link in rendered.links])
        self._image_srcs = rendered.images
        moved = moved_links(self._link_targets)
        if moved:
            rendered = render_body(self.body, moved_links=moved)
        self.body = rendered.body
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.headings = rendered.headings
        self.links = rendered.links
        self.citations = rendered.citations
        self.intro_end = rendered.intro_end
        self.banner_at = rendered.banner_at
        self.summary = cut_at_word(self.excerpt.strip() or rendered.text, settings.EXCERPT_LENGTH)

    def _stored_row(self):
        """The row as stored before this save, or None for a new article: the
        fields shown elsewhere than on the article's page, what the review
        cycle compares, and `is_public` (published_condition). One query.

        Read afresh rather than remembered from loading, so an instance built
        another way (a restored revision, a form) still leaves a redirect and
        is compared with what readers were shown."""
        if self.pk is None:
            return None
        public = models.ExpressionWrapper(published_condition(), output_field=models.BooleanField())
        fields = {field.attname for field in _shown_elsewhere_fields()}
        fields |= {"slug", "body", "reviewer_id", "reviewed_on"}
        return Article.objects.filter(pk=self.pk).values(*fields, is_public=public).first()

    def _shown_elsewhere_changed(self, stored):
        """Whether this save changes a field shown elsewhere than on the
        article's own page (articles.saving.SHOWN_ON_ITS_PAGE_ALONE names the
        others), compared with `stored` (_stored_row); True for a new article."""
        if stored is None:
            return True
        # A deferred field is not written by the save (nor read here for nothing).
        deferred = self.get_deferred_fields()
        return any(
            field.get_prep_value(getattr(self, field.attname))
            != field.get_prep_value(field.to_python(stored[field.attname]))
            for field in _shown_elsewhere_fields()
            if field.attname not in deferred
        )

    def _follow_review(self, stored):
        """Mark a reviewed body changed since its review, clear the mark when a
        new review is recorded (reviewer or date changed), and work out when
        the next review is due. `stored` is the row before the save (_stored_row)."""
        if stored is not None and self.reviewed_on:
            if (stored["reviewer_id"], stored["reviewed_on"]) != (
                self.reviewer_id,
                self.reviewed_on,
            ):
                self.changed_since_review = False
            elif stored["body"] != self.body:
                self.changed_since_review = True
        if not self.reviewed_on:
            self.changed_since_review = False
        self.review_due_on = self.next_review_due()

    def is_review_due(self, *, within_days=0):
        """The rule of ArticleQuerySet.review_due(), for one article."""
        if self.changed_since_review:
            return True
        until = timezone.localdate() + timedelta(days=within_days)
        return self.review_due_on is not None and self.review_due_on <= until

    def review_interval(self):
        """Months a review holds: the article's own interval, else its category's."""
        return self.review_interval_months or self.category.review_interval_months

    def next_review_due(self):
        """The day the next medical review is due, or None when never reviewed."""
        if not self.reviewed_on:
            return None
        return add_months(self.reviewed_on, self.review_interval())

    @property
    def is_medical(self):
        """Tagged with a symptom or region (needs with_taxonomy()): an injury
        article rather than one about gear or training."""
        return bool(self.symptom_list or self.region_list)

    def _refresh_thumbnail(self):
        loaded = getattr(self, "_loaded_image_name", None)
        if not self.image:
            self.thumbnail = ""
            self.thumbnail_webp = ""
        elif not self.thumbnail or not self.thumbnail_webp or self.image.name != loaded:
            stem = self.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            for field, fmt in ((self.thumbnail, "jpeg"), (self.thumbnail_webp, "webp")):
                content = make_thumbnail(self.image, settings.THUMBNAIL_SIZE, fmt)
                field.save(f"{stem}.{'jpg' if fmt == 'jpeg' else fmt}", content, save=False)

    @property
    def is_published(self):
        """The rule of published_condition (and published()), for one article."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_open_for_comments(self):
        """The same rule as ArticleQuerySet.open_for_comments(), for one article."""
        if not self.comments_enabled:
            return False
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return not days or self.published_at > timezone.now() - timedelta(days=days)

    @property
    def is_scheduled(self):
        """Published but with a publish time still to come: the part of
        is_published's rule (and of published()) that only time will change."""
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @cached_property
    def region_list(self):
        """The article's regions as dicts (slug, name, position), in list order."""
        rows = getattr(self, "region_rows", _NOT_READ)
        if rows is _NOT_READ:
            rows = list(self.regions.values("slug", "name", "position")) if self.pk else []
        return sorted(rows or [], key=lambda row: (row["position"], row["name"]))

    @cached_property
    def symptom_list(self):
        """The article's symptoms as dicts (slug, name, region slug), in list order."""
        rows = getattr(self, "symptom_rows", _NOT_READ)
        if rows is _NOT_READ:
            # "region" is the symptom's own field: read the slug under
            # another name, then give it the name the annotation uses.
            rows = (
                [
                    {**row, "region": row.pop("region_slug")}
                    for row in self.symptoms.values(
                        "slug",
                        "name",
                        "position",
                        region_slug=F("region__slug"),
                        region_position=F("region__position"),
                    )
                ]
                if self.pk
                else []
            )
        return sorted(
            rows or [],
            key=lambda row: (row["region_position"], row["region"], row["position"], row["name"]),
        )

    def table_of_contents(self):
        """The body's h2 and h3 headings, stored when it was saved (the page
        never loads the body column to list them)."""
        return [Heading(level, anchor, text) for level, anchor, text in self.headings]


def _shown_elsewhere_fields():
    """Article's columns that pages other than its own show (every one not in
    articles.saving.SHOWN_ON_ITS_PAGE_ALONE)."""
    return [
        field
        for field in Article._meta.concrete_fields
        if field.name not in SHOWN_ON_ITS_PAGE_ALONE and not field.primary_key
    ]


class ReviewDue(Article):
    """Articles seen as the medical review cycle sees them: the admin's
    "Reviews due" list, where reviews are signed off."""

    class Meta:
        proxy = True
        verbose_name = "review due"
        verbose_name_plural = "reviews due"
