from django.db import models


class Rendition(models.Model):
    """A resized copy of an image used in an article body, made once and kept.

    `source` is the original's name in media storage; each (source, width,
    format) is made only once, however often articles using it are saved.
    """

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"

    source = models.CharField(max_length=255, db_index=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.ImageField(upload_to="renditions/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "width", "format"], name="rendition_once_per_size"
            )
        ]

    def __str__(self):
        return f"{self.source} at {self.width}px ({self.get_format_display()})"
