from django.core.validators import URLValidator
from django.db import models

from pagecache import PageContentModel, PageContentQuerySet


class Reference(PageContentModel, models.Model):
    """One numbered source of an article, cited in its body as [ref N]."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="references"
    )
    number = models.PositiveSmallIntegerField(
        help_text="Cite this source in the body by typing [ref 1] (with this number) where the "
        "claim it supports ends. References are listed in number order under the article."
    )
    citation = models.TextField(
        max_length=1000,
        help_text="The source as readers should find it, as plain text: authors, title, journal "
        "or publisher, year. E.g. “Smith J, Lee K. Iliotibial band syndrome in runners. "
        "J Sports Med. 2021;12:45–51.”",
    )
    url = models.URLField(
        "link",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional: where the source can be read (an http or https address).",
    )
    accessed_on = models.DateField(
        "accessed",
        null=True,
        blank=True,
        help_text="Optional: the day you last checked the link, shown as “Accessed …”.",
    )

    objects = PageContentQuerySet.as_manager()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"],
                name="reference_number_once_per_article",
                violation_error_message="Each reference of an article needs its own number.",
            )
        ]

    def __str__(self):
        return f"[{self.number}] {self.citation[:60]}"

    @property
    def anchor(self):
        """The id of this reference's entry in the list: citations link to it."""
        return f"ref-{self.number}"
