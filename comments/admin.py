from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from comments import links
from comments.forms import StaffReplyForm
from comments.models import Comment, CommentRules
from comments.moderation import change_status, post_staff_reply, use_moderation_link
from core.links import public_url


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
    # Five columns and the buttons fit a 1280 px screen beside the filters:
    # who wrote it, the posting time, address and e-mail share one cell.
    list_display = ["excerpt", "author", "on_article", "held_reason", "status"]
    list_display_links = ["excerpt"]
    list_filter = ["status", ("article", RecentlyCommentedArticleFilter), "created_at"]
    list_select_related = ["article"]
    search_fields = ["name", "email", "text", "ip", "website", "article__title"]
    # No date_hierarchy (its distinct-years query reads every comment on each
    # load; "created_at" is a list filter instead), and one COUNT per page.
    show_full_result_count = False
    actions = ["approve", "mark_as_spam", "remove"]
    # The bulk actions a row's own buttons run, with the statuses they set.
    ROW_ACTIONS = {
        "approve": (Comment.Status.APPROVED, "Approve"),
        "mark_as_spam": (Comment.Status.SPAM, "Spam"),
        "remove": (Comment.Status.REMOVED, "Remove"),
    }
    readonly_fields = [
        "article",
        "parent",
        "created_at",
        "approved_at",
        "ip",
        "user_agent",
        "held_reason",
        "in_place",
        "written_by",
        "publish_notice_sent_at",
    ]
    fieldsets = [
        (None, {"fields": ["status", "article", "parent", "in_place", "held_reason"]}),
        (
            "Comment",
            {"fields": ["name", "email", "website", "text", "written_by", "is_pinned"]},
        ),
        (
            "E-mails to the commenter",
            {
                "fields": [
                    "reply_emails_enabled",
                    "publish_notice_enabled",
                    "publish_notice_sent_at",
                ]
            },
        ),
        (
            "Advanced",
            {"classes": ["collapse"], "fields": ["created_at", "approved_at", "ip", "user_agent"]},
        ),
    ]

    class Media:
        css = {"all": ["comments/admin.css"]}
        # The keyboard shortcuts of the list; no inline script (README "Security").
        js = ["js/comment-moderation.js"]

    # “View on site” opens the comment on SITE_URL or the admin's own host,
    # not through the Sites row (as the article admins do).
    def view_on_site(self, obj):
        return public_url(obj.get_absolute_url())

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.text).chars(100)

    @admin.display(description="author", ordering="name")
    def author(self, comment):
        posted = date_format(timezone.localtime(comment.created_at), "SHORT_DATETIME_FORMAT")
        return format_html(
            '{}{}<span class="comment-author-detail">{}</span>'
            '<span class="comment-author-detail">{}</span>'
            '<span class="comment-author-detail">{}</span>',
            comment.name,
            format_html(' <span class="comment-badge">{}</span>', "Site team")
            if comment.is_staff_reply
            else "",
            comment.email or "no e-mail",
            posted,
            comment.ip or "no IP address",
        )

    @admin.display(description="article", ordering="article__title")
    def on_article(self, comment):
        return format_html(
            '{}<span class="comment-author-detail">{}</span>',
            Truncator(comment.article.title).chars(60),
            self.in_place(comment),
        )

    @admin.display(description="moderate")
    def moderate(self, comment):
        return self._buttons(comment, can_delete=False)

    @admin.display(description="moderate")
    def moderate_or_delete(self, comment):
        return self._buttons(comment, can_delete=True)

    # The key that presses each row button in the list (js/comment-moderation.js).
    SHORTCUTS = {"approve": "a", "mark_as_spam": "s", "remove": "d"}

    def _buttons(self, comment, *, can_delete, on_change_page=False):
        """A row's Approve, Spam, Remove, Reply (and Delete) buttons. They
        belong to forms outside the change list's own form (HTML forms do not
        nest): admin/comments/_moderation_forms.html. On the change page,
        Reply goes to the reply form below the comment."""
        actions = [
            (name, label, self.SHORTCUTS[name])
            for name, (status, label) in self.ROW_ACTIONS.items()
            if comment.status != status
        ]
        return render_to_string(
            "admin/comments/_moderation_buttons.html",
            {
                "comment": comment,
                "actions": actions,
                "can_delete": can_delete,
                "on_change_page": on_change_page,
                "may_reply": comment.may_be_answered,
            },
        )

    def get_list_display(self, request):
        if self.has_delete_permission(request):
            return [*self.list_display, "moderate_or_delete"]
        if self.has_change_permission(request):
            return [*self.list_display, "moderate"]
        return self.list_display

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

    @admin.display(description="written by")
    def written_by(self, comment):
        if not comment.is_staff_reply:
            return "A reader"
        user = comment.staff_user
        return f"The site team: {user.get_username()}" if user else "The site team"

    def has_add_permission(self, request):
        return False  # comments come from readers (and the Disqus import)

    def get_urls(self):
        def view(function, methods):
            return self.admin_site.admin_view(require_http_methods(methods)(function))

        return [
            path(
                "moderate/",
                view(self.moderate_view, ["POST"]),
                name="comments_comment_moderate",
            ),
            path(
                "link/<str:action>/<str:token>/",
                view(self.link_view, ["GET", "HEAD", "POST"]),
                name="comments_comment_link",
            ),
            path(
                "<path:object_id>/reply/",
                view(self.reply_view, ["GET", "HEAD", "POST"]),
                name="comments_comment_reply",
            ),
            *super().get_urls(),
        ]

    def reply_view(self, request, object_id):
        """The site team's reply to one comment: the form alone (the list's
        Reply button, and an invalid post shown again with its text), or the
        post from the form under the comment on its change page."""
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404("No such comment.")
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        if not comment.may_be_answered:
            self.message_user(
                request,
                f"{comment.name}’s comment is {comment.get_status_display().lower()}: "
                "approve it first to reply to it.",
                messages.ERROR,
            )
            return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))
        from_list = request.POST.get("_from", request.GET.get("_from")) == "list"
        form = StaffReplyForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            reply = post_staff_reply(
                parent=comment,
                user=request.user,
                text=form.cleaned_data["text"],
                is_pinned=form.cleaned_data["is_pinned"],
            )
            if reply is None:
                self.message_user(request, "You have already posted this reply.", messages.WARNING)
            else:
                self.message_user(
                    request,
                    format_html(
                        'Reply to {} published. <a href="{}">View it in place</a>',
                        comment.name,
                        reply.get_absolute_url(),
                    ),
                    messages.SUCCESS,
                )
            if from_list:
                return redirect(self._changelist_url(request))
            return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))
        # This page is the reply form alone: the cursor starts in it.
        form.fields["text"].widget.attrs["autofocus"] = True
        context = {
            **self.admin_site.each_context(request),
            **self._moderation_context(request, None),
            "title": f"Reply to {comment.name}",
            "opts": self.opts,
            "comment": comment,
            "reply_form": form,
            "from_list": from_list,
        }
        return TemplateResponse(
            request,
            "admin/comments/comment/reply.html",
            context,
            status=400 if form.is_bound else 200,
        )

    def link_view(self, request, action, token):
        """A signed link from the moderator e-mail (comments.links): GET shows
        what it will do and changes nothing; the page's button posts, with
        CSRF, and only then is the link used."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Moderate a comment",
        }
        try:
            if request.method == "POST":
                comment = use_moderation_link(action=action, token=token, user=request.user)
                self.message_user(
                    request,
                    f"{comment.name}’s comment is now {comment.get_status_display().lower()}.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))
            comment = links.comment_for_link(action, token)
        except links.LinkRefused as refusal:
            context["refusal"] = refusal.message
            return TemplateResponse(
                request, "admin/comments/comment/link.html", context, status=refusal.status
            )
        status, label = links.ACTIONS[action]
        context.update(
            comment=comment,
            label=label,
            already=comment.status == status,
            status_label=Comment.Status(status).label.lower(),
        )
        return TemplateResponse(request, "admin/comments/comment/link.html", context)

    def moderate_view(self, request):
        """One comment's button: the bulk action it names, run on that comment
        alone, then back to the list as it was filtered."""
        chosen = [name for name in self.ROW_ACTIONS if name in request.POST]
        value = request.POST[chosen[0]] if len(chosen) == 1 else ""
        # A plain id that fits the column; anything else is not a button of ours.
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            return HttpResponseBadRequest("Choose one action for one comment.")
        name = chosen[0]
        comment = get_object_or_404(self.get_queryset(request), pk=request.POST[name])
        action = self.get_actions(request).get(name)
        if action is None or not self.has_change_permission(request, comment):
            raise PermissionDenied
        function, _name, _description = action
        function(self, request, self.get_queryset(request).filter(pk=comment.pk))
        return redirect(self._changelist_url(request))

    def _changelist_url(self, request):
        url = reverse("admin:comments_comment_changelist")
        # Re-encoded, so whatever was posted can only be a query string.
        filters = QueryDict(request.GET.get("_changelist_filters", "")).urlencode()
        return f"{url}?{filters}" if filters else url

    def _moderation_context(self, request, extra_context):
        preserved = self.get_preserved_filters(request)
        return {
            **(extra_context or {}),
            "moderation_action": reverse("admin:comments_comment_moderate")
            + (f"?{preserved}" if preserved else ""),
            "moderation_filters": QueryDict(preserved).get("_changelist_filters", ""),
            "may_moderate": self.has_change_permission(request),
            "may_delete": self.has_delete_permission(request),
        }

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, self._moderation_context(request, extra_context))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = self._moderation_context(request, extra_context)
        comment = self.get_object(request, object_id)
        if comment is not None and self.has_change_permission(request, comment):
            extra_context["moderation_buttons"] = self._buttons(
                comment,
                can_delete=self.has_delete_permission(request, comment),
                on_change_page=True,
            )
            if comment.may_be_answered:
                extra_context["reply_form"] = StaffReplyForm()
                extra_context["reply_to"] = comment
        return super().change_view(request, object_id, form_url, extra_context)

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


@admin.register(CommentRules)
class CommentRulesAdmin(SimpleHistoryAdmin):
    """The one "Comment rules" page: the list goes straight to the one row.

    Changing it takes the change_commentrules permission, which the
    Moderators group does not have: the owner (a superuser, or someone given
    that permission) sets the rules, moderators apply them. Every save is kept
    in the page's history with who made it."""

    fieldsets = [
        ("Holding and blocking", {"fields": ["max_links", "moderation_words", "block_words"]}),
        ("Medical red flags", {"fields": ["red_flag_phrases"]}),
        ("Known commenters", {"fields": ["auto_approve_known_emails"]}),
        ("Rate limit", {"fields": ["rate_limit", "rate_limit_period"]}),
    ]

    class Media:
        css = {"all": ["comments/admin.css"]}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        rules = CommentRules.current()
        return redirect(reverse("admin:comments_commentrules_change", args=[rules.pk]))

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) == "1":
            return CommentRules.current()
        return super().get_object(request, object_id, from_field)
