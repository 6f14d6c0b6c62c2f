from django.db import models
from django.utils import timezone

MAX_FEEDBACK_LENGTH = 500


class HelpfulDay(models.Model):
    """The answers to “Was this page helpful?” one article got on one day."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="helpful_days"
    )
    day = models.DateField(help_text="The day, in the site's time zone.")
    yes = models.PositiveIntegerField("helpful", default=0)
    no = models.PositiveIntegerField("not helpful", default=0)

    class Meta:
        ordering = ["-day", "article"]
        verbose_name = "helpfulness count"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="helpful_day_once_per_article")
        ]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.yes} yes, {self.no} no"


class HelpfulComment(models.Model):
    """The optional words a reader sent with their answer: plain text, for the owner only."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="helpful_comments"
    )
    is_helpful = models.BooleanField("found it helpful")
    text = models.TextField(max_length=MAX_FEEDBACK_LENGTH)
    created_at = models.DateTimeField("sent", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self):
        return self.text[:60]
