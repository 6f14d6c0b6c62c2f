from django.db import models


class ImportedPage(models.Model):
    """One page an import brought in, and what it looked like then.

    `old_address` is the page's address on the old site (a path, or
    `/?p=<id>` for a WordPress post), unique per source, so a second run finds
    the article or category it made. `fingerprint` is a digest of the fields
    the import wrote; when the article's fields no longer match it, an editor
    has changed it since, and the import leaves it alone unless told to
    overwrite.
    """

    class Source(models.TextChoices):
        SITE_BUILDER = "sbi", "Old site's pages"
        WORDPRESS = "wordpress", "WordPress export"

    source = models.CharField(max_length=20, choices=Source.choices)
    old_address = models.CharField(max_length=500)
    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="imported_from",
    )
    category = models.OneToOneField(
        "articles.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="imported_from",
    )
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "old_address"], name="moving_one_record_per_old_address"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.old_address}"
