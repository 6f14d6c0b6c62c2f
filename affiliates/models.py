"""Affiliate links the owner manages in one place, their clicks, and which
articles use them.

The tables keep the names they had while these models lived in the articles
app (Meta.db_table), so moving the app moved no data. Articles are reached
through the foreign keys to "articles.Article" only: this app imports
nothing from articles.
"""

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from affiliates.hosts import validate_affiliate_destination
from affiliates.parsing import go_slugs_of, hrefs_of_article
from core.images import clean_new_image, validate_image_file
from pagecache import PageContentQuerySet, content_changed


def _count_clicks(since=None):
    """A subquery counting one link's clicks, optionally since a moment.

    Subqueries rather than joined Counts: several counts over one join would
    multiply each other's rows.
    """
    clicks = AffiliateClick.objects.filter(link=OuterRef("pk"))
    if since is not None:
        clicks = clicks.filter(clicked_at__gte=since)
    counted = clicks.order_by().values("link").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class AffiliateLinkQuerySet(PageContentQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_click_counts(self, *, now=None):
        """Annotate clicks_7d, clicks_30d and clicks_total, one query however many links."""
        now = now or timezone.now()
        return self.annotate(
            clicks_7d=_count_clicks(now - timedelta(days=7)),
            clicks_30d=_count_clicks(now - timedelta(days=30)),
            clicks_total=_count_clicks(),
        )


class AffiliateLink(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text link"
        BANNER = "banner", "Banner"

    class Health(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "Working"
        BROKEN = "broken", "Broken"
        UNKNOWN = "unknown", "Could not check"

    name = models.CharField(
        max_length=200,
        help_text="A name for you and other editors, e.g. “Knee sleeve (Amazon)”. Readers never "
        "see it.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The link's address on this site: /go/slug/. Link text to that address in the "
        "editor. Once articles use the link, the slug cannot change.",
    )
    destination_url = models.URLField(
        "destination",
        max_length=2000,
        validators=[validate_affiliate_destination],
        help_text="Where the reader is sent: the merchant's page, starting with https://. Only "
        "hosts on the site's affiliate allow-list are accepted (Amazon's stores by default).",
    )
    merchant = models.CharField(
        "programme or merchant",
        max_length=100,
        blank=True,
        help_text="The affiliate programme or shop, e.g. “Amazon Associates”.",
    )
    tracking_tag = models.CharField(
        max_length=100,
        blank=True,
        help_text="Your tracking ID with the programme, e.g. “mysite-20”. It is added to the "
        "destination's query string when the destination does not already carry it.",
    )
    tracking_parameter = models.CharField(
        max_length=30,
        default="tag",
        help_text="The name of the query parameter that carries the tracking ID. Amazon uses "
        "“tag”.",
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.TEXT,
        help_text="A text link is placed by linking words in an article; a banner is chosen in "
        "an article's banner slots.",
    )
    banner_image = models.ImageField(
        upload_to="banners/%Y/%m/",
        blank=True,
        width_field="banner_width",
        height_field="banner_height",
        validators=[validate_image_file],
        help_text="The banner picture (JPEG, PNG, WebP or GIF). Required for banners.",
    )
    banner_alt = models.CharField(
        "banner alt text",
        max_length=200,
        blank=True,
        help_text="What the banner says or shows, for readers who cannot see it, e.g. “Amazon "
        "Outlet: running gear deals”. Required for banners.",
    )
    banner_width = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Taken from the image."
    )
    banner_height = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Taken from the image."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick when an offer ends: readers who follow the link then get a page "
        "saying so, with a way back to the article, and banners stop showing.",
    )
    is_direct = models.BooleanField(
        "direct link",
        default=False,
        help_text="Link straight to the destination instead of through /go/ (some programmes, "
        "Amazon among them, prefer their links unhidden). Clicks are then counted by the "
        "browser's ping, which some browsers leave out, so counts may be lower.",
    )
    notes = models.TextField(blank=True, help_text="Anything worth remembering about this link.")

    health = models.CharField(
        max_length=10, choices=Health.choices, default=Health.UNCHECKED, editable=False
    )
    checked_at = models.DateTimeField("last checked", null=True, blank=True, editable=False)
    check_status_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    check_final_url = models.URLField(max_length=2000, blank=True, editable=False)
    check_elapsed_ms = models.PositiveIntegerField(null=True, blank=True, editable=False)
    check_message = models.CharField(max_length=300, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AffiliateLinkQuerySet.as_manager()

    class Meta:
        db_table = "articles_affiliatelink"
        ordering = ["name"]
        verbose_name = "affiliate link"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_new_image(self.banner_image)
        # One transaction: the link and the articles recorded as using it.
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Articles may link to /go/<slug>/ before the link exists.
            record_usage_for_link(link=self)
        self._loaded_slug = self.slug
        content_changed(using=self._state.db)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        content_changed(using=self._state.db)
        return result

    def get_absolute_url(self):
        return reverse("affiliates:go", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "slug" in field_names:
            instance._loaded_slug = values[field_names.index("slug")]
        return instance

    def clean(self):
        errors = {}
        if self.kind == self.Kind.BANNER:
            if not self.banner_image:
                errors["banner_image"] = "A banner needs an image."
            if not self.banner_alt.strip():
                errors["banner_alt"] = "Describe the banner for readers who cannot see it."
        loaded = getattr(self, "_loaded_slug", None)
        if self.pk and loaded and loaded != self.slug and self.usages.exists():
            titles = ", ".join(
                f"“{title}”"
                for title in self.usages.values_list("article__title", flat=True).distinct()
            )
            errors["slug"] = (
                f"Articles link to /go/{loaded}/ ({titles}); changing the slug would break "
                "those links. Create a new link instead."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def target_url(self):
        """The destination with the tracking tag added when it is missing."""
        if not self.tracking_tag or not self.tracking_parameter:
            return self.destination_url
        parts = urlsplit(self.destination_url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if any(name == self.tracking_parameter for name, _ in query):
            return self.destination_url
        query.append((self.tracking_parameter, self.tracking_tag))
        return urlunsplit(parts._replace(query=urlencode(query)))

    @property
    def is_banner(self):
        return self.kind == self.Kind.BANNER

    @property
    def ping_url(self):
        return reverse("affiliates:go_ping", kwargs={"slug": self.slug})


class AffiliateClick(models.Model):
    """One counted click. Nothing about the reader is kept: no address, no agent."""

    class Via(models.TextChoices):
        REDIRECT = "redirect", "Redirect through /go/"
        PING = "ping", "Ping from a direct link"

    link = models.ForeignKey(AffiliateLink, on_delete=models.CASCADE, related_name="clicks")
    clicked_at = models.DateTimeField(default=timezone.now)
    from_article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliate_clicks",
        help_text="The article whose link was clicked, when known.",
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.REDIRECT)

    class Meta:
        db_table = "articles_affiliateclick"
        ordering = ["-clicked_at"]
        verbose_name = "affiliate click"
        indexes = [
            models.Index(fields=["link", "clicked_at"], name="affiliate_click_link_time_idx")
        ]

    def __str__(self):
        return f"{self.link} at {self.clicked_at:%Y-%m-%d %H:%M}"


class ArticleAffiliateLink(models.Model):
    """Derived on every article save: which links the article shows, and where."""

    class Placement(models.TextChoices):
        BODY = "body", "In the text"
        AFTER_INTRO = "after_intro", "Banner after the intro"
        SIDEBAR = "sidebar", "Banner in the sidebar"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="affiliate_usages"
    )
    # PROTECT: deleting a link that articles show would leave them with dead links.
    link = models.ForeignKey(AffiliateLink, on_delete=models.PROTECT, related_name="usages")
    placement = models.CharField(max_length=12, choices=Placement.choices)

    class Meta:
        db_table = "articles_articleaffiliatelink"
        verbose_name = "use in an article"
        verbose_name_plural = "uses in articles"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "link", "placement"], name="unique_affiliate_usage"
            )
        ]

    def __str__(self):
        return f"“{self.article}” ({self.get_placement_display().lower()})"


def article_model():
    """articles.Article, reached through this app's own foreign key."""
    return ArticleAffiliateLink._meta.get_field("article").related_model


def record_usage(*, article):
    """Replace the article's usage rows with what its body and banner slots hold now.

    The admin lists a link's articles and the article page fetches its links
    from this table, so no request ever scans article bodies.
    """
    placement = ArticleAffiliateLink.Placement
    wanted = set()
    slugs = go_slugs_of(hrefs_of_article(article))
    if slugs:
        for link_id in AffiliateLink.objects.filter(slug__in=slugs).values_list("pk", flat=True):
            wanted.add((link_id, placement.BODY))
    if article.banner_after_intro_id:
        wanted.add((article.banner_after_intro_id, placement.AFTER_INTRO))
    if article.banner_sidebar_id:
        wanted.add((article.banner_sidebar_id, placement.SIDEBAR))

    with transaction.atomic():
        current = set(
            ArticleAffiliateLink.objects.filter(article=article).values_list("link_id", "placement")
        )
        for link_id, where in current - wanted:
            ArticleAffiliateLink.objects.filter(
                article=article, link_id=link_id, placement=where
            ).delete()
        ArticleAffiliateLink.objects.bulk_create(
            [
                ArticleAffiliateLink(article=article, link_id=link_id, placement=where)
                for link_id, where in wanted - current
            ]
        )


def record_usage_for_link(*, link):
    """Record the articles that already link to /go/<slug>/ of a link just saved.

    Only needed when an editor wrote the link into an article before creating
    it; a LIKE over bodies is fine for a save the owner makes by hand.
    """
    candidates = article_model().objects.filter(body__contains=f"/{link.slug}/")
    for article in candidates.only("pk", "links"):
        if link.slug in go_slugs_of(hrefs_of_article(article)):
            ArticleAffiliateLink.objects.get_or_create(
                article=article, link=link, placement=ArticleAffiliateLink.Placement.BODY
            )
