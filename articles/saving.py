"""What follows from saving an article, beyond its row and revision.

One function, called by Article.save() inside the save's transaction: the
redirect from an address readers knew, the affiliate-link usage rows, the
media library's record of the pictures it uses, and the content version. They stay in the transaction rather than running on commit
because the site promises they are all or nothing with the row
(tests/security/test_transactions.py); the content version is changed again
on commit by content_changed itself, so no page rendered before the commit
outlives it.
"""

from affiliates.models import record_usage
from articles.media import record_image_uses
from articles.redirects import follow_slug_change
from pagecache import content_changed


def article_saved(*, article, old_slug):
    """Follow a saved `article`: `old_slug` is the address it was public
    under before the save (None when it was not public)."""
    if old_slug and old_slug != article.slug:
        follow_slug_change(article=article, old_slug=old_slug)
    record_usage(article=article)
    record_image_uses(article=article)
    content_changed(using=article._state.db)
