from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class UploadedImageQuerySet(models.QuerySet):
    def matching(self, query):
        """Images whose file name (as uploaded or as stored) or any alt text
        used for them contains `query` (any case)."""
        query = (query or "").strip()
        if not query:
            return self
        alt_matches = ImageUse.objects.filter(image=OuterRef("pk"), alt__icontains=query)
        return self.filter(
            Q(original_name__icontains=query) | Q(file__icontains=query) | Exists(alt_matches)
        )


class UploadedImage(models.Model):
    """A picture in media storage that editors may put in articles: uploaded
    through CKEditor or as an article's picture. The media library lists these."""

    file = models.FileField(
        max_length=255,
        unique=True,
        help_text="The picture's name in media storage.",
    )
    original_name = models.CharField(
        max_length=255,
        blank=True,
        help_text="The file's name on the editor's computer, when it was uploaded here.",
    )
    preview = models.FileField(
        max_length=255, blank=True, help_text="A small copy for the media library."
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = UploadedImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="uploadedimage_newest_idx")]

    def __str__(self):
        return self.original_name or self.file.name.rsplit("/", 1)[-1]


class ImageUse(models.Model):
    """One use of an image in an article, with the alt text it has there:
    the same picture may need other words in another article."""

    class Place(models.TextChoices):
        BODY = "body", "In the text"
        LISTING = "listing", "Article's picture"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="image_uses"
    )
    image = models.ForeignKey(UploadedImage, on_delete=models.CASCADE, related_name="uses")
    alt = models.TextField(blank=True, help_text="Empty for a decorative image.")
    place = models.CharField(max_length=10, choices=Place.choices, default=Place.BODY)

    def __str__(self):
        return f"{self.image} in {self.article_id}"
