"""Where it hurts: the body regions and symptoms readers pick on /find/.

Editors keep the list in the admin and tag each article with the symptoms
it explains and the regions it concerns (articles.taxonomy.tag_article).
"""

from django.db import models
from django.urls import reverse

from pagecache import PageContentModel, PageContentQuerySet


class BodyRegion(PageContentModel, models.Model):
    name = models.CharField(
        max_length=100,
        unique=True,
        help_text="The part of the body as a reader would say it, e.g. “knee” or “heel”. "
        "Article pages say “Other injuries with pain around the <name>”.",
    )
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The region's address: /find/slug/."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Regions are listed on /find/ from the lowest number up."
    )

    objects = PageContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "body region"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:find_region", kwargs={"region": self.slug})


class Symptom(PageContentModel, models.Model):
    region = models.ForeignKey(
        BodyRegion,
        on_delete=models.PROTECT,
        related_name="symptoms",
        help_text="Where the reader feels it; the symptom is listed on that region's page.",
    )
    name = models.CharField(
        max_length=200,
        help_text="What the reader feels, in their words, e.g. “pain on the outside of the "
        "knee”. Start with a small letter: it is also used inside sentences.",
    )
    slug = models.SlugField(
        max_length=200, help_text="The symptom's address under its region: /find/region/slug/."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Symptoms are listed on their region's page from the lowest number up."
    )

    objects = PageContentQuerySet.as_manager()

    class Meta:
        ordering = ["region__position", "region__name", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="symptom_slug_per_region")
        ]

    def __str__(self):
        return f"{self.region.name}: {self.name}"

    def get_absolute_url(self):
        return reverse(
            "articles:find_symptom", kwargs={"region": self.region.slug, "symptom": self.slug}
        )
