"""The medical review cycle: signing off reviews, and who is due what.

sign_off is the one way a review is recorded after the fact (the admin's
action and tests call it); the article's history keeps who signed off what
and when, as the revision's change reason.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from articles.models import Article

REMINDER_DAYS = 30


@transaction.atomic
def sign_off(*, articles, user, reviewer=None, on=None):
    """Record a review of each of `articles` on `on` (today) by `reviewer`
    (each article's own reviewer when None). Return (signed, skipped): the
    articles signed off, and those left alone because nobody was named."""
    day = on or timezone.localdate()
    signed, skipped = [], []
    for article in articles.select_related("reviewer", "category"):
        who = reviewer or article.reviewer
        if who is None:
            skipped.append(article)
            continue
        article.reviewer = who
        article.reviewed_on = day
        article.changed_since_review = False
        article._history_user = user
        reason = (
            f"Medical review signed off: {who.name_with_credentials}, {date_format(day, 'M j, Y')}"
        )
        # The length of simple_history's history_change_reason column.
        article._change_reason = reason[:100]
        article.save()
        signed.append(article)
    return signed, skipped


def due_for_reminder(*, today=None):
    """{reviewer: [articles]} of published articles whose review is due within
    REMINDER_DAYS (or overdue), for reviewers with an e-mail address, soonest first."""
    until = (today or timezone.localdate()) + timedelta(days=REMINDER_DAYS)
    due = (
        Article.objects.published()
        .filter(review_due_on__lte=until, reviewer__isnull=False)
        .exclude(reviewer__email="")
        .select_related("reviewer")
        .only("title", "slug", "review_due_on", "reviewer")
        .order_by("reviewer__name", "reviewer_id", "review_due_on", "title")
    )
    by_reviewer = {}
    for article in due:
        by_reviewer.setdefault(article.reviewer, []).append(article)
    return by_reviewer
