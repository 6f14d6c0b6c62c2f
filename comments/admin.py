from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.text import Truncator

from comments.models import Comment
from comments.moderation import change_status


class RecentlyCommentedArticleFilter(admin.RelatedFieldListFilter):
    """Filter by article, offering the articles of the newest comments.

    Django's RelatedOnlyFieldListFilter lists every article that has a
    comment: with a large archive that is a scan of the whole comment table
    and tens of thousands of links on every visit to the list. The articles
    of the newest RECENT_COMMENTS comments are the ones moderators work on;
    any other article's comments are one search away (its title) or reached
    from the article's own change page."""

    RECENT_COMMENTS = 200

    def field_choices(self, field, request, model_admin):
        recent = model_admin.get_queryset(request).order_by("-created_at")
        wanted = set(recent.values_list("article_id", flat=True)[: self.RECENT_COMMENTS])
        wanted.update(int(value) for value in (self.lookup_val or []) if str(value).isdigit())
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": wanted}, ordering=ordering
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "status",
        "article",
        "name",
        "email",
        "excerpt",
        "created_at",
        "ip",
        "held_reason",
        "in_place",
    ]
    list_display_links = ["excerpt"]
    list_filter = ["status", ("article", RecentlyCommentedArticleFilter), "created_at"]
    list_select_related = ["article"]
    search_fields = ["name", "email", "text", "ip", "website", "article__title"]
    # No date_hierarchy (its distinct-years query reads every comment on each
    # load; "created_at" is a list filter instead), and one COUNT per page.
    show_full_result_count = False
    actions = ["approve", "mark_as_spam", "remove"]
    readonly_fields = [
        "article",
        "parent",
        "created_at",
        "approved_at",
        "ip",
        "user_agent",
        "held_reason",
        "in_place",
    ]
    fieldsets = [
        (None, {"fields": ["status", "article", "parent", "in_place", "held_reason"]}),
        ("Comment", {"fields": ["name", "email", "website", "text", "reply_emails_enabled"]}),
        (
            "Advanced",
            {"classes": ["collapse"], "fields": ["created_at", "approved_at", "ip", "user_agent"]},
        ),
    ]

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.text).chars(80)

    @admin.display(description="on the article")
    def in_place(self, comment):
        if comment.pk is None:
            return "-"
        if comment.is_approved:
            return format_html('<a href="{}">View in place</a>', comment.get_absolute_url())
        # Not shown to readers yet: open the thread it belongs to.
        target = f"#comment-{comment.parent_id}" if comment.parent_id else "#comments"
        url = comment.article.get_absolute_url() + target
        return format_html('<a href="{}">View thread (not public)</a>', url)

    def has_add_permission(self, request):
        return False  # comments come from readers (and the Disqus import)

    def save_model(self, request, obj, form, change):
        # A status changed in the form goes through the same function as the
        # bulk actions, so an approval e-mails whoever asked to be told.
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        change_status(comments=Comment.objects.filter(pk=obj.pk), status=new_status)

    def _change(self, request, queryset, status, done):
        count = change_status(comments=queryset, status=status)
        self.message_user(
            request, f"{count} comment{'s' if count != 1 else ''} {done}.", messages.SUCCESS
        )

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._change(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_as_spam(self, request, queryset):
        self._change(request, queryset, Comment.Status.SPAM, "marked as spam")

    @admin.action(description="Remove", permissions=["change"])
    def remove(self, request, queryset):
        self._change(request, queryset, Comment.Status.REMOVED, "removed")
