"""What every public page shows around its own content, built once per content
change: the category navigation, Recent Articles, and the set of category
slugs that tells the `/<slug>/` dispatcher a hub from an article.

One cache read brings all three (pagecache.cached_fragment, kept
under the site's content version, so it is exactly as fresh as a page), and
the result is kept on the request for the page's other uses of it.
"""

from django.conf import settings
from django.template.loader import render_to_string

from articles.models import Article, Category
from pagecache import cached_fragment


def site_frame(request=None):
    """{"nav": html, "recent": html, "category_slugs": frozenset} for this request."""
    frame = getattr(request, "_site_frame", None)
    if frame is None:
        frame = cached_fragment("site-frame", build_site_frame)
        if request is not None:
            request._site_frame = frame
    return frame


def build_site_frame():
    """Three queries: categories (twice: few rows, different columns) and Recent Articles."""
    width, height = settings.THUMBNAIL_SIZE
    recent = Article.objects.published().for_listing()[: settings.RECENT_ARTICLES_COUNT]
    categories = Category.objects.only("title", "slug")
    return {
        "nav": render_to_string("includes/category_nav.html", {"categories": categories}),
        "recent": render_to_string(
            "articles/_recent_articles.html",
            {"articles": recent, "thumbnail_width": width, "thumbnail_height": height},
        ),
        "category_slugs": frozenset(category.slug for category in categories),
    }
