"""What the owner reads about readers' response: “Was this page helpful?”
answers per article per day, the comments sent with them, and on each
article's page those counts beside the affiliate clicks it sent."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Sum
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from affiliates.models import AffiliateClick
from articles.models import HelpfulComment, HelpfulDay

WINDOWS = [("Last 7 days", 7), ("Last 30 days", 30), ("All time", None)]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records readers made: the owner reads and may delete them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HelpfulDay)
class HelpfulDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "article", "yes", "no"]
    list_filter = ["day"]
    list_select_related = ["article"]
    search_fields = ["article__title"]


@admin.register(HelpfulComment)
class HelpfulCommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "article", "answer", "text"]
    list_filter = ["is_helpful", "created_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__title"]

    @admin.display(description="helpful?", boolean=True, ordering="is_helpful")
    def answer(self, comment):
        return comment.is_helpful


def reader_response_rows(article, *, today=None):
    """[(window, helpful, not helpful, affiliate clicks)] for the article."""
    today = today or timezone.localdate()
    rows = []
    for label, days in WINDOWS:
        answers = HelpfulDay.objects.filter(article=article)
        clicks = AffiliateClick.objects.filter(from_article=article)
        if days:
            answers = answers.filter(day__gt=today - timedelta(days=days))
            clicks = clicks.filter(clicked_at__gte=timezone.now() - timedelta(days=days))
        totals = answers.aggregate(yes=Sum("yes"), no=Sum("no"))
        rows.append((label, totals["yes"] or 0, totals["no"] or 0, clicks.count()))
    return rows


class ReaderResponseAdminMixin:
    """The article form's “Readers' response” box: helpful answers and
    affiliate clicks side by side, and the newest comments readers sent."""

    reader_fieldset = ("Readers' response", {"fields": ["reader_response"]})

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), self.reader_fieldset]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reader_response"]

    @admin.display(description="Was this page helpful?")
    def reader_response(self, article):
        if not article.pk:
            return "Counted once the article is published."
        table = format_html(
            '<table class="reader-response"><thead><tr><th scope="col">Period</th>'
            '<th scope="col">Helpful</th><th scope="col">Not helpful</th>'
            '<th scope="col">Affiliate clicks</th></tr></thead><tbody>{}</tbody></table>',
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
                reader_response_rows(article),
            ),
        )
        newest = HelpfulComment.objects.filter(article=article).order_by("-created_at")[:5]
        said = format_html_join(
            "",
            "<li>{} ({}): {}</li>",
            (
                (
                    timezone.localtime(comment.created_at).strftime("%b %d, %Y"),
                    "helpful" if comment.is_helpful else "not helpful",
                    comment.text,
                )
                for comment in newest
            ),
        )
        return format_html("{}<ul>{}</ul>", table, said) if said else table
