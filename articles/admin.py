from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.contrib.flatpages import admin as flatpages_admin
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

import articles.admin_redirects  # noqa: F401 (the Redirects admin)
from affiliates.admin import ArticleAffiliateAdminMixin
from articles import publishing, reviews
from articles.admin_drafts import DraftAdminMixin
from articles.admin_feedback import ReaderResponseAdminMixin
from articles.admin_media import MediaLibraryAdminMixin, browse_in_library
from articles.audit import audit_links
from articles.body_images import images_without_alt
from articles.citations import uncited_numbers
from articles.models import (
    Article,
    BodyRegion,
    Category,
    Reference,
    ReviewDue,
    Reviewer,
    Symptom,
)
from articles.publish_checks import ACCEPT_LABEL, accepted_reason, check_article, check_publication
from articles.revisions import RevisionChanges
from articles.taxonomy import tag_article
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
        (
            "Advanced",
            {
                "classes": ["collapse"],
                "fields": ["position", "meta_description", "review_interval_months"],
            },
        ),
    ]

    class Media:
        js = ["articles/admin/editor.js", "js/autosave.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        browse_in_library(formfield)
        return formfield


# What the checks read: a public article whose text changes is checked again.
CHECKED_FIELDS = ("title", "excerpt", "meta_description", "body", "slug")


class ArticleForm(RevisionForm):
    """The article form, with the checks before publishing: a save that makes
    the article public (or changes a public one's text) is refused while
    articles.publish_checks finds problems, unless the editor accepts them."""

    accept_problems = forms.BooleanField(label=ACCEPT_LABEL, required=False)

    publish_checks = None
    # True when this save only keeps a draft of changes to a live article:
    # nothing reaches readers, so nothing is checked until it is published.
    saves_a_draft = False

    def clean(self):
        cleaned = super().clean()
        if not self._publishes(cleaned):
            return cleaned
        self.publish_checks = check_publication(
            title=cleaned.get("title", ""),
            excerpt=cleaned.get("excerpt", ""),
            meta_description=cleaned.get("meta_description", ""),
            body=cleaned.get("body", ""),
            slug=cleaned.get("slug", ""),
        )
        if self.publish_checks.is_blocking and not cleaned.get("accept_problems"):
            count = len(self.publish_checks.problems)
            problems = f"{count} problem{'s' if count != 1 else ''}"
            raise ValidationError(
                f"Not published: the checks found {problems} (listed at the top of the form). "
                f"Fix them, or tick “{ACCEPT_LABEL}” and save again.",
                code="publish_checks",
            )
        return cleaned

    def _publishes(self, cleaned):
        """Whether saving puts text before readers: the article will be
        published (now or scheduled) and was not, or its checked text or
        publish time changes."""
        if self.saves_a_draft or cleaned.get("status") != Article.Status.PUBLISHED:
            return False
        if self.instance.pk is None or self.initial.get("status") != Article.Status.PUBLISHED:
            return True
        if any(name in self.changed_data for name in CHECKED_FIELDS):
            return True
        # The form shows whole seconds: a time saved with its microseconds is not a change.
        when, before = cleaned.get("published_at"), self.instance.published_at
        return when is not None and abs(when - before) >= timedelta(seconds=1)


class ReferenceInline(admin.TabularInline):
    """The article's numbered references, edited with it: they are part of the
    article, so whoever may change the article may change them."""

    model = Reference
    extra = 0
    fields = ["number", "citation", "url", "accessed_on"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
        models.URLField: {"widget": admin_widgets.AdminURLFieldWidget, "assume_scheme": "https"},
    }
    verbose_name_plural = "references (cite them in the body as [ref 1], [ref 2] …)"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or self.has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")


@admin.register(Article)
class ArticleAdmin(
    ViewOnPublicSiteMixin,
    MediaLibraryAdminMixin,
    RevisionHistoryMixin,
    ArticleAffiliateAdminMixin,
    ReaderResponseAdminMixin,
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
    autocomplete_fields = ["category", "reviewer"]
    # The taxonomy is short: both lists in view, chosen by moving them across.
    filter_horizontal = ["symptoms", "regions"]
    readonly_fields = ["review_state"]
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    actions = ["publish_selected", "unpublish_selected"]
    form = ArticleForm
    inlines = [ReferenceInline]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
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
            "Find your injury",
            {
                "description": "Tag the symptoms the article explains and the body regions it "
                "concerns: readers find it on /find/ and its page links the region. The region of "
                "each symptom is added by itself. Leave both empty for articles that are not about "
                "an injury (gear, training).",
                "fields": ["symptoms", "regions", "condition_name"],
            },
        ),
        (
            "Updates and medical review",
            {
                "description": "Shown under the title when set. Record a new review with the "
                "“Sign off review” action of Reviews due, which keeps who signed off in the "
                "history.",
                "fields": [
                    "updated_on",
                    "reviewer",
                    "reviewed_on",
                    "review_interval_months",
                    "review_state",
                ],
            },
        ),
        ("Advanced", {"classes": ["collapse"], "fields": ["meta_description", "author"]}),
    ]

    class Media:
        js = ["articles/admin/editor.js", "js/autosave.js"]

    def is_live(self, obj):
        # A scheduled or unpublished article is not live yet: it saves as before.
        return obj.is_published

    def get_urls(self):
        audit = self.admin_site.admin_view(self.link_audit_view)
        return [path("link-audit/", audit, name="articles_article_link_audit"), *super().get_urls()]

    def link_audit_view(self, request):
        """The link audit (articles.audit), for those who may see articles."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Link audit",
            "report": audit_links(),
        }
        return TemplateResponse(request, "admin/articles/article/link_audit.html", context)

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
        """Publish the selection; drafts the checks find problems in wait on
        a page listing them, until the editor accepts them or publishes only
        the others."""
        selected = list(queryset.values_list("pk", flat=True))
        drafts = Article.objects.filter(pk__in=selected, status=Article.Status.DRAFT)
        drafts = list(drafts.order_by("title", "pk"))
        checked = [(article, check_article(article)) for article in drafts]
        blocked = [(article, checks) for article, checks in checked if checks.is_blocking]
        accepted = request.POST.get("accept_problems") == "on"
        if blocked and "publish_checked" in request.POST and accepted:
            reasons = {article.pk: accepted_reason("", checks) for article, checks in blocked}
            changed = publishing.publish(
                articles=queryset, user=request.user, change_reasons=reasons
            )
        elif blocked and "publish_clean" in request.POST:
            held = [article.pk for article, _ in blocked]
            changed = publishing.publish(articles=queryset.exclude(pk__in=held), user=request.user)
            self.message_user(
                request,
                f"{len(held)} article(s) with problems left as drafts: "
                + ", ".join(article.title for article, _ in blocked),
                messages.WARNING,
            )
        elif blocked:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Check before publishing",
                "blocked": blocked,
                "clean_count": len(checked) - len(blocked),
                "selected": selected,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "accept_label": ACCEPT_LABEL,
                "not_accepted": "publish_checked" in request.POST,
            }
            return TemplateResponse(request, "admin/articles/article/publish_checks.html", context)
        else:
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

    @admin.display(description="review")
    def review_state(self, article):
        return review_state(article)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        tag_article(
            article=form.instance,
            symptoms=form.cleaned_data.get("symptoms", ()),
            regions=form.cleaned_data.get("regions", ()),
        )
        missing = uncited_numbers(form.instance)
        if missing:
            self.message_user(
                request,
                f"The body cites {', '.join(f'[ref {n}]' for n in missing)} but the article has "
                "no reference with that number: add it under References, or correct the marker.",
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        checks = getattr(form, "publish_checks", None)
        if checks is not None and checks.is_blocking:
            # Accepted (the form refuses them otherwise): the revision says so.
            reason = accepted_reason(form.cleaned_data.get("change_reason", "").strip(), checks)
            form.cleaned_data["change_reason"] = reason
        super().save_model(request, obj, form, change)
        if checks is not None:
            if checks.is_blocking:
                self.message_user(
                    request,
                    f"Published with {checks.summary()}, accepted; the history records it.",
                    messages.WARNING,
                )
            # Affiliate warnings come from ArticleAffiliateAdminMixin already.
            for finding in checks.warnings:
                if finding.kind != "affiliate_link":
                    self.message_user(request, finding.message, messages.WARNING)
            return
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


def review_state(article):
    """Where `article` stands in the review cycle, in words."""
    if not article.reviewed_on:
        return "Not reviewed"
    parts = []
    days = (article.review_due_on - timezone.localdate()).days
    if days < 0:
        parts.append(f"Overdue by {-days} day{'s' if days != -1 else ''}")
    elif days == 0:
        parts.append("Due today")
    else:
        parts.append(f"Due in {days} day{'s' if days != 1 else ''}")
    if article.changed_since_review:
        parts.append("changed since review")
    return ", ".join(parts)


class SymptomInline(admin.TabularInline):
    model = Symptom
    fields = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 1


@admin.register(BodyRegion)
class BodyRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SymptomInline]

    def view_on_site(self, obj):
        return public_url(obj.get_absolute_url())


@admin.register(Symptom)
class SymptomAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "slug", "position"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "region__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]

    def view_on_site(self, obj):
        return public_url(obj.get_absolute_url())


@admin.register(Reviewer)
class ReviewerAdmin(ViewOnPublicSiteMixin, admin.ModelAdmin):
    list_display = ["name", "credentials", "email", "slug"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    fieldsets = [
        (None, {"fields": ["name", "credentials", "slug", "biography", "photo"]}),
        ("Contact and links", {"fields": ["email", "profile_links"]}),
    ]


class SignOffForm(ActionForm):
    reviewer = forms.ModelChoiceField(
        Reviewer.objects.all(),
        required=False,
        empty_label="each article's own reviewer",
        label="Reviewed by",
    )


class ReviewStateFilter(admin.SimpleListFilter):
    """Due (the default: within 30 days, overdue, or changed since review),
    never reviewed (articles tagged as medical without a review), or all."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", f"Due within {reviews.REMINDER_DAYS} days, overdue or changed"),
            ("never", "Injury articles never reviewed"),
            ("all", "All articles"),
        ]

    def choices(self, changelist):
        current = self.value() or "due"
        for value, title in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "due"
        if value == "due":
            return queryset.review_due(within_days=reviews.REMINDER_DAYS)
        if value == "never":
            medical = models.Q(symptoms__isnull=False) | models.Q(regions__isnull=False)
            ids = Article.objects.filter(medical).values("pk")
            return queryset.filter(reviewed_on__isnull=True, pk__in=ids)
        return queryset


@admin.register(ReviewDue)
class ReviewDueAdmin(admin.ModelAdmin):
    """The medical review cycle: the articles whose review is due, overdue first."""

    list_display = ["article_link", "reviewer", "reviewed_on", "review_due_on", "state", "status"]
    list_display_links = None
    list_filter = [ReviewStateFilter, "reviewer", "category"]
    list_select_related = ["reviewer", "category"]
    search_fields = ["title"]
    ordering = [F("review_due_on").asc(nulls_last=True), "title"]
    action_form = SignOffForm
    actions = ["sign_off"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "body_html", "body_text")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The article is edited in the articles' own form, with its history.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:articles_article_change", object_id)

    @admin.display(description="article", ordering="title")
    def article_link(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article.title)

    @admin.display(description="state")
    def state(self, article):
        return review_state(article)

    @admin.action(
        description="Sign off the review of selected articles, dated today", permissions=["change"]
    )
    def sign_off(self, request, queryset):
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        if not form.is_valid():
            self.message_user(request, "Choose a reviewer from the list.", messages.ERROR)
            return
        reviewer = form.cleaned_data["reviewer"]
        signed, skipped = reviews.sign_off(
            articles=Article.objects.filter(pk__in=queryset.values("pk")),
            user=request.user,
            reviewer=reviewer,
        )
        if signed:
            self.message_user(request, f"{len(signed)} review(s) signed off.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{len(skipped)} article(s) have no reviewer and were not signed off: "
                f"{', '.join(a.title for a in skipped)}. Choose who reviewed them in “Reviewed "
                "by” and sign off again.",
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
