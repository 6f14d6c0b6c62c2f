"""The soak's two looks at the database, run with the site's settings
(bench/soak.py calls it; it prints JSON):

    soak_check.py targets          the pages, articles and affiliate links to load
    soak_check.py verify LEDGER    what the load wrote, against what it was told

`verify` reads the ledger the load generator kept (every comment text it
posted with the status it got, and the 302s it got from each /go/ link) and
counts the rows: each comment answered 302 must be stored exactly once, and
each link must have exactly as many clicks in the run's window as 302s.
"""

import json
import os
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injurysite.settings")
django.setup()

from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402

from affiliates.models import AffiliateClick, AffiliateLink  # noqa: E402
from articles.models import Article, Category  # noqa: E402
from comments.models import Comment  # noqa: E402


def targets():
    articles = Article.objects.published().order_by("-published_at")
    return {
        "hubs": [category.get_absolute_url() for category in Category.objects.all()],
        "articles": [
            {
                "slug": article.slug,
                "path": article.get_absolute_url(),
                "post_path": reverse("comments:post", args=[article.pk]),
            }
            for article in articles
        ],
        "links": list(AffiliateLink.objects.filter(is_active=True).values_list("slug", flat=True)),
    }


def verify(ledger):
    posted = ledger["comments"]  # [text, status] pairs; every text is unique
    # Every text the run posted starts with its marker: one query, any size.
    comments = list(
        Comment.objects.filter(text__startswith=ledger["marker"]).values_list("text", "status")
    )
    stored = Counter(text for text, _status in comments)
    accepted = [text for text, status in posted if status == 302]
    wanted = set(accepted)
    statuses = Counter(status for text, status in comments if text in wanted)
    start, end = (datetime.fromisoformat(moment) for moment in ledger["window"])
    click_rows = dict(
        AffiliateClick.objects.filter(clicked_at__range=(start, end))
        .values_list("link__slug")
        .annotate(rows=Count("pk"))
    )
    clicks = {
        slug: {"redirects": ledger["clicks"].get(slug, 0), "rows": click_rows.get(slug, 0)}
        for slug in sorted(set(ledger["clicks"]) | set(click_rows))
    }
    return {
        "comments": {
            "posted": len(posted),
            "accepted": len(accepted),
            "stored_once": sum(1 for text in accepted if stored[text] == 1),
            "missing": sum(1 for text in accepted if stored[text] == 0),
            "duplicated": sum(1 for text in accepted if stored[text] > 1),
            "stored_without_302": sum(
                1 for text, status in posted if status != 302 and stored[text]
            ),
            "stored_as": dict(statuses),
        },
        "clicks": {
            "redirects": sum(click["redirects"] for click in clicks.values()),
            "rows": sum(click["rows"] for click in clicks.values()),
            "missing": sum(max(0, c["redirects"] - c["rows"]) for c in clicks.values()),
            "extra": sum(max(0, c["rows"] - c["redirects"]) for c in clicks.values()),
            "by_link": clicks,
        },
    }


if __name__ == "__main__":
    if sys.argv[1] == "targets":
        print(json.dumps(targets()))
    else:
        print(json.dumps(verify(json.loads(Path(sys.argv[2]).read_text()))))
