from django import forms
from django.contrib import admin, messages
from django.contrib.flatpages import admin as flatpages_admin
from django.contrib.flatpages.models import FlatPage
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

import articles.admin_redirects  # noqa: F401 (the Redirects admin)
from affiliates.admin import ArticleAffiliateAdminMixin
from articles import publishing
from articles.admin_drafts import DraftAdminMixin
from articles.body_images import images_without_alt
from articles.models import Article, Category
from articles.revisions import RevisionChanges
from core.images import ImageUploadField
from core.links import public_url
from pagecache import content_changed


class ViewOnPublicSiteMixin:
    """“View on site” opens the page itself on SITE_URL, or on the host the
    admin is using, not through the sites framework's redirect (which sends
    editors to the Sites row's domain). A draft or scheduled article opens as
    staff see it there: a preview."""

    def view_on_site(self, obj):
        return public_url(obj.get_absolute_url())


class RevisionForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        # The length of simple_history's history_change_reason column.
        max_length=100,
        help_text="Optional: a few words on why you are saving, e.g. “Added the physio's "
        "advice on stairs”. Shown beside this revision on the History page.",
    )


class RevisionHistoryMixin:
    """For admins of models with a history (SimpleHistoryAdmin): a reason the
    editor may give when saving, kept with the revision, and a History page
    that shows what each revision changed in words."""

    form = RevisionForm
    object_history_list_template = "admin/revision_history_list.html"

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), (None, {"fields": ["change_reason"]})]

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "").strip()
        if reason:
            obj._change_reason = reason  # read by simple_history when it records the revision
        super().save_model(request, obj, form, change)

    def get_historical_record_context_helper(self, request, historical_record):
        return RevisionChanges(self.model, historical_record)


@admin.register(Category)
class CategoryAdmin(ViewOnPublicSiteMixin, DraftAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "intro"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["position", "meta_description"]}),
    ]

    class Media:
        js = ["articles/admin/editor.js", "js/autosave.js"]


@admin.register(Article)
class ArticleAdmin(
    ViewOnPublicSiteMixin,
    RevisionHistoryMixin,
    ArticleAffiliateAdminMixin,
    DraftAdminMixin,
    SimpleHistoryAdmin,
):
    list_display = ["title", "category", "status_label", "published_at", "comment_count"]
    # A date filter rather than date_hierarchy: the hierarchy asks for the
    # distinct years of every article on each load, which a large archive
    # pays for on every visit to the list.
    list_filter = ["status", "category", "published_at"]
    list_select_related = ["category"]
    search_fields = ["title", "excerpt", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
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
        js = ["articles/admin/editor.js", "js/autosave.js"]

    def is_live(self, obj):
        # A scheduled or unpublished article is not live yet: it saves as before.
        return obj.is_published

    def get_queryset(self, request):
        articles = super().get_queryset(request).with_comment_counts()
        match = request.resolver_match
        if match is not None and match.url_name == "articles_article_changelist":
            # A page of the list never shows the bodies: leave them in the database.
            articles = articles.defer("body", "body_html", "body_text", "search_document")
        return articles

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return format_html(
                "Scheduled <small>(public from {})</small>",
                date_format(timezone.localtime(article.published_at), "M d, Y h:i A"),
            )
        return article.get_status_display()

    @admin.display(description="comments", ordering="approved_comment_count")
    def comment_count(self, article):
        return article.approved_comment_count

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


# Flat pages belong to django.contrib.flatpages, so their model cannot call
# content_changed() itself; its admin is registered again to do so, the only
# place editors change them.
admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class FlatPageAdmin(ViewOnPublicSiteMixin, flatpages_admin.FlatPageAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()  # the page's sites are saved after the page itself

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()
