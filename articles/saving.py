"""What follows from saving an article, beyond its row and revision.

One function, called by Article.save() inside the save's transaction: the
article's internal links (articles.links), the redirect from an address
readers knew and the links of other articles that follow it, the
affiliate-link usage rows, the media library's record of the pictures it
uses, and the content version. They stay in the transaction rather than running on commit
because the site promises they are all or nothing with the row
(tests/security/test_transactions.py); the content version is changed again
on commit by content_changed itself, so no page rendered before the commit
outlives it.
"""

from affiliates.models import record_usage
from articles.links import adopt_links, follow_renamed, record_links
from articles.media import record_image_uses
from articles.redirects import follow_slug_change
from pagecache import content_changed


def article_saved(*, article, old_slug):
    """Follow a saved `article`: `old_slug` is the address it was public
    under before the save (None when it was not public)."""
    targets = getattr(article, "_link_targets", None)
    if targets is not None:
        record_links(article=article, targets=targets, images=article._image_srcs)
    adopt_links(article=article)
    if old_slug and old_slug != article.slug:
        follow_slug_change(article=article, old_slug=old_slug)
        follow_renamed(article=article)
    record_usage(article=article)
    record_image_uses(article=article)
    content_changed(using=article._state.db)
