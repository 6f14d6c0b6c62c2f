from ckeditor_uploader.fields import RichTextUploadingField
from django.db import models
from django.urls import reverse

from articles.headings import assign_heading_ids
from articles.sanitize import sanitize_html
from articles.slugs import validate_slug_is_free


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

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "injury category"
        verbose_name_plural = "injury categories"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:page", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.intro = assign_heading_ids(sanitize_html(self.intro))
        super().save(*args, **kwargs)

    def clean(self):
        if self.slug:
            validate_slug_is_free(self.slug, instance=self)
