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

from django.urls import reverse

from affiliates.models import record_usage
from articles.links import adopt_links, follow_renamed, record_links
from articles.media import record_image_uses
from articles.redirects import follow_slug_change
from pagecache import content_changed

# The fields only the article's own page shows: its body and what is derived
# from it for the page (contents, citations, banner places, links), its
# credits, sharing tags and structured data, its banners. Also those no cached
# page shows: the review schedule (signed-in staff only), the words site
# search matches (a search is never cached: its query is not one the page
# cache keeps) and the last-save time (the sitemap's, refreshed with the page).
# Everything else is shown elsewhere too: the title, address, excerpt and
# picture in listings, Recent Articles and feeds; the status and publish time
# everywhere; the category on hubs; the reviewer on their profile; whether
# comments are open on reply pages. Any field not named here, a new one
# included, counts as shown elsewhere, so a save that changes it refreshes
# the site.
SHOWN_ON_ITS_PAGE_ALONE = frozenset(
    {
        "body",
        "body_html",
        "headings",
        "links",
        "citations",
        "intro_end",
        "banner_at",
        "body_text",
        "search_document",
        "meta_description",
        "toc_enabled",
        "updated_on",
        "reviewed_on",
        "condition_name",
        "author",
        "banner_after_intro",
        "banner_sidebar",
        "review_interval_months",
        "review_due_on",
        "changed_since_review",
        "updated_at",
    }
)


def article_saved(*, article, old_slug, shown_elsewhere_changed=True):
    """Follow a saved `article`: `old_slug` is the address it was public
    under before the save (None when it was not public);
    `shown_elsewhere_changed` is False when the save changed only fields of
    SHOWN_ON_ITS_PAGE_ALONE."""
    targets = getattr(article, "_link_targets", None)
    if targets is not None:
        record_links(article=article, targets=targets, images=article._image_srcs)
    adopt_links(article=article)
    if old_slug and old_slug != article.slug:
        follow_slug_change(article=article, old_slug=old_slug)
        follow_renamed(article=article)
    record_usage(article=article)
    record_image_uses(article=article)
    if old_slug == article.slug and article.is_published and not shown_elsewhere_changed:
        content_changed(using=article._state.db, paths=pages_of(article))
    else:
        content_changed(using=article._state.db)


def pages_of(article):
    """The addresses of the cached pages that show fields of
    SHOWN_ON_ITS_PAGE_ALONE: the article's own page (every page of its
    comments) and the sitemap, which dates each article by its last save."""
    return [article.get_absolute_url(), reverse("articles:sitemap")]
