"""Work in progress in the admin: drafts of changes not yet published, and
who has a change form open. Neither is ever read by a public page."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TARGETS = ("article", "category")


def target(obj):
    """The lookup naming `obj` (an article or a category) on a Draft or an EditingSession."""
    kind = obj._meta.model_name
    if kind not in TARGETS:
        raise TypeError(f"drafts are kept for articles and categories, not {kind}")
    return {kind: obj}


def _one_target_constraint(name):
    return models.CheckConstraint(
        condition=Q(article__isnull=False, category__isnull=True)
        | Q(article__isnull=True, category__isnull=False),
        name=name,
    )


class DraftQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(**target(obj))


class Draft(models.Model):
    """The changes an editor made to an article or a category in the admin,
    kept apart from it until they are published.

    Both parts hold the change form's own values (field name: list of the
    strings the form sent), so reopening the form shows exactly what was
    typed, valid or not. `data` is what an editor saved with “Save draft”;
    `autosave` is what the form saved by itself since, newer than `data`, and
    offered back when the form is opened again. `version` grows with every
    write, so a form can tell whether someone else wrote after it opened.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    category = models.ForeignKey(
        "articles.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    data = models.JSONField(default=dict, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    autosave = models.JSONField(default=dict, blank=True)
    autosaved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    autosaved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = DraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article"], name="draft_one_per_article"),
            models.UniqueConstraint(fields=["category"], name="draft_one_per_category"),
            _one_target_constraint("draft_of_one_thing"),
        ]

    def __str__(self):
        return f"Draft of {self.article or self.category}"

    @property
    def has_saved_draft(self):
        return bool(self.data)

    @property
    def has_autosave(self):
        return bool(self.autosave)

    @property
    def newest_values(self):
        """What the editor typed last: the autosave if there is one, else the saved draft."""
        return self.autosave or self.data

    @property
    def last_editor(self):
        return self.autosaved_by if self.autosave else self.saved_by

    @property
    def last_changed_at(self):
        return self.autosaved_at if self.autosave else self.saved_at


class EditingSessionQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(**target(obj))

    def recent(self):
        """Forms that said they were open within DRAFT_PRESENCE_SECONDS."""
        since = timezone.now() - timedelta(seconds=settings.DRAFT_PRESENCE_SECONDS)
        return self.filter(seen_at__gte=since)


class EditingSession(models.Model):
    """An editor has the change form of an article or a category open: the
    form says so when it opens and every DRAFT_HEARTBEAT_SECONDS after."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="editing_sessions",
    )
    category = models.ForeignKey(
        "articles.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="editing_sessions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editing_sessions"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="editing_article_user"),
            models.UniqueConstraint(fields=["category", "user"], name="editing_category_user"),
            _one_target_constraint("editing_one_thing"),
        ]

    def __str__(self):
        return f"{self.user} editing {self.article or self.category}"
