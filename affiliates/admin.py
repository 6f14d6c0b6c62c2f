"""The owner's affiliate screens: links with their numbers, clicks, and the
affiliate part of the article form (ArticleAffiliateAdminMixin, which
articles/admin.py mixes into its ArticleAdmin)."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from affiliates.checks import check_links
from affiliates.models import AffiliateClick, AffiliateLink, ArticleAffiliateLink
from affiliates.stats import (
    click_rows_as_csv,
    clicks_chart,
    daily_clicks,
    referring_articles,
)
from affiliates.usage import affiliate_warnings
from core.images import ImageUploadField
from core.links import public_url


def _article_links(articles):
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in articles),
    )


# Most links the "Check selected links now" action checks while the owner waits.
CHECK_NOW_LIMIT = 10


@admin.register(AffiliateLink)
class AffiliateLinkAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "is_active",
        "clicks_7d",
        "clicks_30d",
        "clicks_total",
        "used_in",
        "health_status",
    ]
    list_filter = ["kind", "is_active", "health", "is_direct", "merchant"]
    search_fields = ["name", "slug", "destination_url", "merchant", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    readonly_fields = ["go_address", "banner_size", "health_status", "checked_at", "check_report"]
    actions = ["export_clicks_csv", "check_selected_links"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "go_address",
                    "destination_url",
                    "merchant",
                    "tracking_tag",
                    "kind",
                    "is_active",
                    "is_direct",
                ]
            },
        ),
        ("Banner", {"fields": ["banner_image", "banner_alt", "banner_size"]}),
        ("Link check", {"fields": ["health_status", "checked_at", "check_report"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["tracking_parameter", "notes"]}),
    ]

    def get_queryset(self, request):
        usages = (
            ArticleAffiliateLink.objects.select_related("article")
            .only("link_id", "placement", "article__title")
            .order_by("article__title")
        )
        return (
            super()
            .get_queryset(request)
            .with_click_counts()
            .prefetch_related(Prefetch("usages", queryset=usages))
        )

    @admin.display(description="7 days", ordering="clicks_7d")
    def clicks_7d(self, link):
        return link.clicks_7d

    @admin.display(description="30 days", ordering="clicks_30d")
    def clicks_30d(self, link):
        return link.clicks_30d

    @admin.display(description="Total clicks", ordering="clicks_total")
    def clicks_total(self, link):
        return link.clicks_total

    @admin.display(description="Used in")
    def used_in(self, link):
        articles = list({usage.article_id: usage.article for usage in link.usages.all()}.values())
        return _article_links(articles) if articles else "—"

    @admin.display(description="Health", ordering="health")
    def health_status(self, link):
        # Coloured by static/css/admin.css: the admin's policy refuses style attributes.
        return format_html(
            '<span class="health health-{}">{}</span>', link.health, link.get_health_display()
        )

    def view_on_site(self, link):
        # The link's /go/ address on this site, not on the Sites row's domain.
        return public_url(link.get_absolute_url())

    @admin.display(description="Address on this site")
    def go_address(self, link):
        return reverse("affiliates:go", kwargs={"slug": link.slug}) if link.slug else "—"

    @admin.display(description="Size")
    def banner_size(self, link):
        if not link.banner_width:
            return "Taken from the image when it is saved."
        return f"{link.banner_width} × {link.banner_height} pixels"

    @admin.display(description="Result")
    def check_report(self, link):
        if not link.checked_at:
            return (
                "Not checked yet: run “manage.py check_affiliate_links” or the list's "
                "“Check selected links now” action."
            )
        code = link.check_status_code or "no answer"
        return format_html(
            "{} (status {}, {} ms)<br>Final address: {}",
            link.check_message,
            code,
            link.check_elapsed_ms,
            link.check_final_url or "—",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        link = self.get_object(request, object_id)
        if link is not None:
            chart = clicks_chart(daily_clicks(link=link, days=90))
            extra_context = {
                **(extra_context or {}),
                "clicks_chart": chart,
                "referring_articles": referring_articles(link=link),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Export clicks of the selected links as CSV", permissions=["view"])
    def export_clicks_csv(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            click_rows_as_csv(links=queryset.order_by().values("pk")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="affiliate-clicks-{stamp}.csv"'
        return response

    @admin.action(description="Check selected links now", permissions=["change"])
    def check_selected_links(self, request, queryset):
        # Checks run while the owner waits, so only a few at a time; the
        # command checks every link, a few in parallel, without a time limit.
        if queryset.count() > CHECK_NOW_LIMIT:
            self.message_user(
                request,
                f"Tick at most {CHECK_NOW_LIMIT} links to check now; to check them all, "
                "run the check_affiliate_links command (for example every night from cron).",
                messages.WARNING,
            )
            return
        results = check_links(links=queryset.order_by("slug"))
        broken = [link.name for link, result in results.items() if result.health == "broken"]
        self.message_user(request, f"Checked {len(results)} links.", messages.SUCCESS)
        if broken:
            self.message_user(request, "Broken: " + ", ".join(broken), messages.WARNING)


@admin.register(AffiliateClick)
class AffiliateClickAdmin(admin.ModelAdmin):
    """Read-only: clicks are facts, made only by readers."""

    list_display = ["clicked_at", "link", "from_article", "via"]
    list_filter = ["via", "link"]
    list_select_related = ["link", "from_article"]
    date_hierarchy = "clicked_at"
    search_fields = ["link__name", "from_article__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleAffiliateAdminMixin:
    """The article form's banner slots, a list of the article's affiliate links,
    and warnings about links that will not work as the editor expects."""

    affiliate_fieldset = (
        "Affiliate banners",
        {"fields": ["banner_after_intro", "banner_sidebar", "affiliate_links"]},
    )

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), self.affiliate_fieldset]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "affiliate_links"]

    @admin.display(description="Affiliate links in the text")
    def affiliate_links(self, article):
        if not article.pk:
            return "Listed here once the article is saved."
        usages = article.affiliate_usages.select_related("link").order_by("link__name")
        links = {usage.link for usage in usages if usage.placement == "body"}
        listed = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:affiliates_affiliatelink_change", args=[link.pk]), link.name)
                for link in sorted(links, key=lambda link: link.name)
            ),
        )
        warnings = format_html_join(
            "", '<p class="errornote">{}</p>', ((w,) for w in affiliate_warnings(article=article))
        )
        return format_html("{}{}", listed or "None.", warnings)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in affiliate_warnings(article=obj):
            self.message_user(request, warning, messages.WARNING)
