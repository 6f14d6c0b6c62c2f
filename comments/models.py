import hashlib

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from pagecache import PageContentQuerySet, content_changed

MAX_TEXT_LENGTH = 5000


def fingerprint(*, email, text):
    """What makes two comments on one article the same: the address, any case,
    and the text with its spacing ignored."""
    normalised = f"{email.strip().lower()}\n{' '.join(text.split())}"
    return hashlib.sha256(normalised.encode()).hexdigest()


# Past this many articles in one bulk change of comments, the whole site's
# pages are made stale instead of each article's and hub's.
MOST_ARTICLES_PER_CHANGE = 50


def pages_showing_comments_of(article_ids):
    """The addresses of the cached pages an article's approved comments show
    on: the article's own (every page of its comments: the page cache keys
    each path's version whatever the query), its hub's, which counts them,
    and the comment feeds, the article's and the site's. Recent Articles,
    the navigation, the home page and every other fragment show no comment
    or count, so nothing else is made stale by a comment. A new page that
    shows comments or their counts must be added here."""
    from articles.models import Article

    paths = {reverse("comments:feed")}
    articles = Article.objects.filter(pk__in=article_ids).select_related("category")
    for article in articles.only("slug", "category__slug"):
        paths.add(article.get_absolute_url())
        paths.add(reverse("comments:article_feed", kwargs={"slug": article.slug}))
        if article.category_id:
            paths.add(article.category.get_absolute_url())
    return sorted(paths)


def comments_changed(article_ids, *, using=None):
    """Make stale the cached pages that show comments of these articles."""
    article_ids = set(article_ids) - {None}
    if len(article_ids) > MOST_ARTICLES_PER_CHANGE:
        content_changed(using=using)
    elif article_ids:
        content_changed(using=using, paths=pages_showing_comments_of(article_ids))


class CommentQuerySet(PageContentQuerySet):
    """Bulk changes make stale only the pages showing the comments changed
    (their articles' and hubs'), as a single comment's save does."""

    def _articles(self):
        return set(self.order_by().values_list("article_id", flat=True).distinct())

    def update(self, **kwargs):
        articles = self._articles()
        rows = models.QuerySet.update(self, **kwargs)
        # A bulk move to another article changes that article's pages too.
        moved_to = kwargs.get("article_id", getattr(kwargs.get("article"), "pk", None))
        comments_changed(articles | {moved_to}, using=self.db)
        return rows

    def delete(self):
        articles = self._articles()
        result = models.QuerySet.delete(self)
        comments_changed(articles, using=self.db)
        return result

    def approved(self):
        """Comments every reader sees."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        """Comments waiting for a moderator."""
        return self.filter(status=Comment.Status.PENDING)

    def for_display(self):
        """Oldest first, with only the columns a page shows (never the e-mail)."""
        return self.only(
            "article_id",
            "parent_id",
            "name",
            "website",
            "text",
            "status",
            "created_at",
            "is_staff_reply",
            "is_pinned",
        ).order_by("created_at", "pk")


class CommentTally(models.Model):
    """How many approved comments an article has.

    Kept by database triggers (migration 0003, on PostgreSQL and SQLite) on
    every insert, delete and change of status or article of a comment, however
    it is made: a form, the admin, a bulk update, an import or a cascade. Hub
    pages, the home page and the admin read it instead of counting thousands
    of rows. Django never writes it; `manage.py recount_comments` rebuilds it.
    """

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="comment_tally"
    )
    approved = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.article_id}: {self.approved}"


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="comments",
        help_text="The article this comment was written under.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers. Empty for a comment on the article itself.",
    )
    name = models.CharField(max_length=80, help_text="The name the commenter gave; it is shown.")
    email = models.EmailField(
        "e-mail",
        blank=True,
        help_text="The commenter's address. It is never shown on the site.",
    )
    website = models.URLField(
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional. The commenter's name links here, marked as user content.",
    )
    text = models.TextField(
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
        help_text="Plain text: HTML is shown as typed, blank lines start new paragraphs and "
        "web addresses become links.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        help_text="Only approved comments are shown. Spam and removed comments are kept so a "
        "mistake can be undone.",
    )
    held_reason = models.CharField(
        "why held",
        max_length=200,
        blank=True,
        help_text="Why the spam checks held or refused this comment, if they did.",
    )
    reply_emails_enabled = models.BooleanField(
        "notify of replies",
        default=False,
        help_text="The commenter asked for an e-mail when a reply to this comment is approved.",
    )
    publish_notice_enabled = models.BooleanField(
        "notify when published",
        default=False,
        help_text="The commenter asked for one e-mail when this comment, held for a moderator, "
        "is approved.",
    )
    publish_notice_sent_at = models.DateTimeField(
        "publication e-mail sent",
        null=True,
        blank=True,
        editable=False,
        help_text="When the commenter was told this comment is published; it is told only once.",
    )
    is_staff_reply = models.BooleanField(
        "site team reply",
        default=False,
        editable=False,
        help_text="Written in the admin by the site's team; shown with a “Site team” badge.",
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="comment_replies",
        help_text="The admin user who wrote this reply.",
    )
    is_pinned = models.BooleanField(
        "pinned",
        default=False,
        help_text="Shown first among the replies to the comment it answers (or, for a comment "
        "on the article itself, at the top of the article's comments).",
    )
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField("browser", max_length=300, blank=True)
    created_at = models.DateTimeField("posted", default=timezone.now, db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    disqus_id = models.CharField(
        "Disqus id",
        max_length=40,
        blank=True,
        editable=False,
        help_text="The post's id in the Disqus export it was imported from.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="comment_unique_per_article",
                violation_error_message="This comment has already been posted.",
            ),
            models.UniqueConstraint(
                fields=["disqus_id"], condition=~Q(disqus_id=""), name="comment_unique_disqus_id"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            # "Has this address an approved comment?" on every post
            # (COMMENTS_AUTO_APPROVE_KNOWN_EMAILS), answered by email__iexact.
            models.Index(
                Upper("email"),
                condition=Q(status="approved"),
                name="comment_approved_email_idx",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {Truncator(self.text).chars(40)}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "status" in field_names:
            instance._loaded_status = values[field_names.index("status")]
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Only approved comments are on pages: a pending or spam post leaves
        # every cached page as it is, so a flood of spam cannot empty the cache.
        if self.Status.APPROVED in (self.status, getattr(self, "_loaded_status", None)):
            comments_changed([self.article_id], using=self._state.db)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        if self.status == self.Status.APPROVED:
            comments_changed([self.article_id], using=self._state.db)
        return result

    def get_absolute_url(self):
        """A short address that sends the reader to the comment in place
        (comments.views.permalink); cheap to print in long lists."""
        return reverse("comments:permalink", args=[self.pk])

    def page_url(self):
        """The comment in place: on the page of the article's comments that shows it."""
        url = reverse("articles:page", kwargs={"slug": self.article.slug})
        newer = (
            Comment.objects.approved()
            .filter(article_id=self.article_id)
            .filter(
                Q(created_at__gt=self.created_at) | Q(created_at=self.created_at, pk__gt=self.pk)
            )
            .count()
        )
        number = newer // settings.COMMENTS_PER_PAGE + 1
        return url + (f"?page={number}" if number > 1 else "") + self.anchor

    @property
    def anchor(self):
        return f"#comment-{self.pk}"

    @property
    def is_approved(self):
        """The same rule as CommentQuerySet.approved(), for one comment."""
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self):
        """The same rule as CommentQuerySet.pending(), for one comment."""
        return self.status == self.Status.PENDING

    @property
    def may_be_answered(self):
        """Whether the site team may reply to it from the admin: a comment
        shown, or waiting (the reply approves it); not spam or removed."""
        return self.status in (self.Status.APPROVED, self.Status.PENDING)


class ModerationLinkUse(models.Model):
    """A signed Approve or Spam link from a moderator e-mail that has been
    used (comments.links): each works once, so its use is kept."""

    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="link_uses")
    action = models.CharField(max_length=10)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.action} {self.comment_id} at {self.used_at:%Y-%m-%d %H:%M}"


RED_FLAG_PHRASES = [
    # Dosage talk.
    "double the dose",
    "mg of",
    "milligrams",
    "overdose",
    # Stopping or changing medication.
    "stop taking your",
    "stop your medication",
    "instead of your prescribed",
    "come off your",
    # Self-harm and emergencies.
    "suicide",
    "kill myself",
    "self-harm",
    "chest pain",
    "can't breathe",
]


def phrase_list(text):
    """The phrases of a one-phrase-a-line field, blank lines and spacing dropped."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


class CommentRules(models.Model):
    """The moderation rules the owner edits in the admin: one row, pk 1.

    The COMMENTS_* settings (environment variables) are only the values the
    row starts with on a new site; after that the row is what applies."""

    max_links = models.PositiveIntegerField(
        "links before holding",
        help_text="A comment with more links than this waits for a moderator. "
        "Use 0 to hold every comment that has a link.",
    )
    moderation_words = models.TextField(
        "hold words and phrases",
        blank=True,
        help_text="One word or phrase a line. A comment containing one waits for a moderator. "
        "Case does not matter, and only whole words count.",
    )
    block_words = models.TextField(
        "block words",
        blank=True,
        help_text="One word or phrase a line. A comment containing one is stored as spam, "
        "where it can still be rescued.",
    )
    red_flag_phrases = models.TextField(
        "medical red-flag phrases",
        blank=True,
        default="\n".join(RED_FLAG_PHRASES),
        help_text="One phrase a line. A comment containing one waits for a moderator even "
        "from a known commenter, so advice about doses, stopping medication, self-harm or an "
        "emergency is read by a person before it is shown.",
    )
    auto_approve_known_emails = models.BooleanField(
        "approve known commenters",
        help_text="Show a comment at once when its e-mail address already has an approved "
        "comment. Without this, every comment waits for a moderator.",
    )
    rate_limit = models.PositiveIntegerField(
        "posts allowed per period",
        help_text="How many comments one IP address may post in the period below. "
        "More are refused and the reader is asked to wait.",
    )
    rate_limit_period = models.PositiveIntegerField(
        "period in seconds",
        validators=[MinValueValidator(1)],
        help_text="The length, in seconds, of the period the limit above counts.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "comment rules"
        verbose_name_plural = "comment rules"

    def __str__(self):
        return "Comment rules"

    @classmethod
    def current(cls):
        """The one row, created from the COMMENTS_* settings on first use."""
        rules, _ = cls.objects.get_or_create(pk=1, defaults=cls.defaults_from_settings())
        return rules

    @staticmethod
    def defaults_from_settings():
        return {
            "max_links": settings.COMMENTS_MAX_LINKS,
            "moderation_words": "\n".join(settings.COMMENTS_MODERATION_WORDS),
            "block_words": "\n".join(settings.COMMENTS_BLOCK_WORDS),
            "auto_approve_known_emails": settings.COMMENTS_AUTO_APPROVE_KNOWN_EMAILS,
            "rate_limit": settings.COMMENTS_RATE_LIMIT,
            "rate_limit_period": settings.COMMENTS_RATE_LIMIT_PERIOD,
        }

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
