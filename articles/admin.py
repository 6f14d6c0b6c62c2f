from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from articles import publishing, uploads
from articles.affiliate.admin import ArticleAffiliateAdminMixin
from articles.body_images import images_without_alt
from articles.models import Article, Category


def comments_are_installed():
    """True once the comments app's Comment model (issue 3) points at Article."""
    try:
        apps.get_model("comments", "Comment")
        Article._meta.get_field("comments")
    except (LookupError, FieldDoesNotExist):
        return False
    return True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "intro"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["position", "meta_description"]}),
    ]

    class Media:
        js = ["articles/admin/editor.js"]


@admin.register(Article)
class ArticleAdmin(ArticleAffiliateAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "category", "status_label", "published_at"]
    list_filter = ["status", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    formfield_overrides = {models.ImageField: {"form_class": uploads.ImageUploadField}}
    actions = ["publish_selected", "unpublish_selected"]
    history_list_display = ["status", "slug"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "body", "toc_enabled"]}),
        ("Listing", {"fields": ["excerpt", "image", "image_alt"]}),
        (
            "Publishing",
            {
                "description": "Draft articles are seen only by staff, through “View on site”. "
                "A published article with a future publish date is scheduled: it appears by "
                "itself at that time.",
                "fields": ["status", "published_at", "comments_enabled"],
            },
        ),
        (
            "Updates and medical review",
            {
                "description": "Shown under the title when set.",
                "fields": ["updated_on", "reviewed_by", "reviewed_on"],
            },
        ),
        ("Advanced", {"classes": ["collapse"], "fields": ["meta_description", "author"]}),
    ]

    class Media:
        js = ["articles/admin/editor.js"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if comments_are_installed():
            approved = Q(comments__status="approved")
            queryset = queryset.annotate(approved_comments=Count("comments", filter=approved))
        return queryset

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if comments_are_installed():
            columns.append("comment_count")
        return columns

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return format_html(
                "Scheduled <small>(public from {})</small>",
                article.published_at.strftime("%b %d, %Y %H:%M"),
            )
        return article.get_status_display()

    @admin.display(description="comments", ordering="approved_comments")
    def comment_count(self, article):
        return article.approved_comments

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = publishing.publish(articles=queryset, user=request.user)
        self.message_user(
            request, f"{changed} article(s) published or scheduled.", messages.SUCCESS
        )

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        changed = publishing.unpublish(articles=queryset, user=request.user)
        self.message_user(
            request, f"{changed} article(s) turned back into drafts.", messages.SUCCESS
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        missing = images_without_alt(obj.body)
        if missing:
            self.message_user(
                request,
                f"{len(missing)} image(s) in the body have no alt text: "
                f"{', '.join(src.rsplit('/', 1)[-1] for src in missing)}. Describe each image in "
                "the image dialog's “Alternative Text”, or, if it is only decoration, select it "
                "and choose “Decorative image” in the Styles menu.",
                messages.WARNING,
            )
