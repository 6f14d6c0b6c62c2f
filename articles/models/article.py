from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles.images import make_thumbnail
from articles.sanitize import sanitize_html
from articles.slugs import validate_slug_is_free
from articles.text import cut_at_word, html_to_text
from injurysite.pagecache import PageContentQuerySet, content_changed


class ArticleQuerySet(PageContentQuerySet):
    def published(self):
        """Articles a reader may see: published, with a publish time now or past."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

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
            "published_at",
            "status",
            "category_id",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200, help_text="The article's heading, shown as its <h1>.")
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
    body = RichTextUploadingField(help_text="The article itself, from the intro to the last section.")
    excerpt = models.TextField(
        blank=True,
        help_text="A sentence or two for listings. Leave empty to use the start of the body; "
        f"either is cut at about {settings.EXCERPT_LENGTH} characters.",
    )
    summary = models.TextField(editable=False, blank=True)
    image = models.ImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        help_text="The picture shown beside the article in listings.",
    )
    image_alt = models.CharField(
        "image alt text",
        max_length=200,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
    thumbnail = models.ImageField(upload_to="thumbs/%Y/%m/", editable=False, blank=True)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published articles are shown to readers.",
    )
    published_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        help_text="A published article with a time in the future stays hidden until then.",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="One or two sentences that search engines may show under the title.",
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

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            # Recent Articles and the next scheduled publish time.
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # A hub's articles and the home page's newest per category.
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_public_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})

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

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        self._refresh_thumbnail()
        super().save(*args, **kwargs)
        self._loaded_image_name = self.image.name
        content_changed(using=self._state.db)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(using=self._state.db)
        return result

    def fill_derived_fields(self):
        """Clean the body and derive the listing summary; bulk loaders call it before bulk_create."""
        self.body = sanitize_html(self.body)
        self.summary = cut_at_word(
            self.excerpt.strip() or html_to_text(self.body), settings.EXCERPT_LENGTH
        )

    def _refresh_thumbnail(self):
        loaded = getattr(self, "_loaded_image_name", None)
        if not self.image:
            self.thumbnail = ""
        elif not self.thumbnail or self.image.name != loaded:
            content = make_thumbnail(self.image, settings.THUMBNAIL_SIZE)
            stem = self.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            self.thumbnail.save(f"{stem}.jpg", content, save=False)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()
