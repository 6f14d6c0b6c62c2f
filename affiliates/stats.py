"""Click statistics for the owner: clicks per day, the articles that sent them,
and the geometry of the small SVG chart on a link's admin page."""

import csv
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from affiliates.models import AffiliateClick

CHART_WIDTH, CHART_HEIGHT = 720, 180
CHART_LEFT, CHART_BOTTOM, CHART_TOP = 36, 22, 10


def daily_clicks(*, link, days=90, today=None):
    """[(date, clicks)] for each of the last `days` days up to today, in the site's zone."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    counts = dict(
        AffiliateClick.objects.filter(link=link, clicked_at__gte=start)
        .annotate(day=TruncDate("clicked_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    days = [first + timedelta(days=offset) for offset in range(days)]
    return [(day, counts.get(day, 0)) for day in days]


def referring_articles(*, link):
    """[{"article": {"pk", "title"} or None, "clicks": n}] most clicks first; None is "unknown"."""
    rows = (
        AffiliateClick.objects.filter(link=link)
        .order_by()
        .values("from_article", "from_article__title")
        .annotate(clicks=Count("pk"))
        .order_by("-clicks")
    )
    return [
        {
            "article": (
                {"pk": row["from_article"], "title": row["from_article__title"]}
                if row["from_article"]
                else None
            ),
            "clicks": row["clicks"],
        }
        for row in rows
    ]


def clicks_chart(daily):
    """Bars and axis labels for `daily_clicks` output, in SVG user units."""
    peak = max((count for _, count in daily), default=0)
    scale_max = max(peak, 1)
    plot_width = CHART_WIDTH - CHART_LEFT
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    step = plot_width / max(len(daily), 1)
    bars = []
    for index, (day, count) in enumerate(daily):
        height = round(plot_height * count / scale_max, 1)
        bars.append(
            {
                "x": round(CHART_LEFT + index * step + 0.5, 1),
                "y": round(CHART_TOP + plot_height - height, 1),
                "width": round(max(step - 1, 1), 1),
                "height": height,
                "label": f"{day:%b %d}: {count} click{'s' if count != 1 else ''}",
            }
        )
    labels = (
        [{"x": bars[i]["x"], "text": f"{daily[i][0]:%b %d}"} for i in range(0, len(daily), 15)]
        if daily
        else []
    )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "baseline": CHART_TOP + plot_height,
        "top": CHART_TOP,
        "label_y": CHART_HEIGHT - 6,
        "peak": peak,
        "total": sum(count for _, count in daily),
        "bars": bars,
        "labels": labels,
    }


def _cell(value):
    # A cell starting with one of these is run as a formula by spreadsheets.
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


class _Echo:
    def write(self, value):
        return value


def click_rows_as_csv(*, links):
    """CSV lines (header first) of every click on `links`, oldest first, for streaming."""
    writer = csv.writer(_Echo())
    yield writer.writerow(["link", "link name", "clicked at", "article", "article title", "via"])
    clicks = (
        AffiliateClick.objects.filter(link__in=links)
        .select_related("link", "from_article")
        .only(
            "clicked_at",
            "via",
            "link__slug",
            "link__name",
            "from_article__slug",
            "from_article__title",
        )
        .order_by("clicked_at", "pk")
    )
    zone = timezone.get_current_timezone()
    for click in clicks.iterator(chunk_size=2000):
        article = click.from_article
        yield writer.writerow(
            [
                click.link.slug,
                _cell(click.link.name),
                click.clicked_at.astimezone(zone).isoformat(timespec="seconds"),
                article.slug if article else "",
                _cell(article.title) if article else "",
                click.via,
            ]
        )
