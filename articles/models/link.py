from django.db import models


class ArticleLink(models.Model):
    """A link in an article's body to a page of this site, or an image of its
    media storage, as its last save found it.

    Filled from the rendered body on every save (articles.links): the address
    as the editor wrote it, and the article or category it leads to. Because
    the target is kept by its row, not by its address, a renamed article's
    new address is written into every body that links to it when the bodies
    are rendered again, and the link audit knows which pages nothing links to.
    """

    class Kind(models.TextChoices):
        LINK = "link", "Link"
        IMAGE = "image", "Image"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="outgoing_links"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.LINK)
    href = models.CharField(
        max_length=2000, help_text="The address as written in the body (an image's src)."
    )
    target_article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_links",
    )
    target_category = models.ForeignKey(
        "articles.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_links",
    )

    class Meta:
        ordering = ["article", "pk"]

    def __str__(self):
        return f"{self.article_id} → {self.href}"

    @property
    def target(self):
        return self.target_article or self.target_category
