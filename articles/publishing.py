"""Publishing and unpublishing articles: one function each, for the admin's
list actions and anything else that needs them.

Each article is saved on its own so that its history keeps a revision and
its derived fields and redirects follow, as on any other save.
"""

from django.db import transaction
from django.utils import timezone

from articles.models import Article


@transaction.atomic
def publish(*, articles, user=None, change_reasons=None):
    """Make `articles` published; return how many changed.

    A draft goes public now, unless its publish date is in the future, in
    which case it is scheduled for then. Articles already published (or
    scheduled) are left as they are. `change_reasons` ({article id: text})
    go into the revisions' change reason.
    """
    now = timezone.now()
    changed = 0
    for article in articles.filter(status=Article.Status.DRAFT):
        article.status = Article.Status.PUBLISHED
        if article.published_at <= now:
            article.published_at = now
        article._history_user = user
        if change_reasons and article.pk in change_reasons:
            article._change_reason = change_reasons[article.pk]
        article.save()
        changed += 1
    return changed


@transaction.atomic
def unpublish(*, articles, user=None):
    """Turn published or scheduled `articles` back into drafts; return how many changed."""
    changed = 0
    for article in articles.filter(status=Article.Status.PUBLISHED):
        article.status = Article.Status.DRAFT
        article._history_user = user
        article.save()
        changed += 1
    return changed


def next_scheduled_publish():
    """When public pages next change by themselves: the next scheduled
    article's publish time, or None. The page cache asks it
    (settings.PAGE_CACHE_NEXT_CHANGE), so no cached page outlives that moment."""
    return Article.objects.next_publish_time()
