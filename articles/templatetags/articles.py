from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article, Category
from injurysite.pagecache import cached_fragment

register = template.Library()


@register.simple_tag
def recent_articles():
    """The "Recent Articles" list: the newest published articles, newest first.

    The same on every page, so it is rendered once per content change
    (injurysite.pagecache.cached_fragment).
    """

    def render():
        articles = Article.objects.published().for_listing()[: settings.RECENT_ARTICLES_COUNT]
        width, height = settings.THUMBNAIL_SIZE
        return render_to_string(
            "articles/_recent_articles.html",
            {"articles": articles, "thumbnail_width": width, "thumbnail_height": height},
        )

    return mark_safe(cached_fragment("recent-articles", render))  # noqa: S308 (our template)


@register.simple_tag(takes_context=True)
def category_nav(context):
    """The navigation by injury category, with the current page's link marked.

    Rendered once per content change; only the aria-current mark is per page.
    """

    def render():
        categories = Category.objects.only("title", "slug")
        return render_to_string("includes/category_nav.html", {"categories": categories})

    html = cached_fragment("category-nav", render)
    request = context.get("request")
    if request is not None:
        link = f'<a href="{request.path}">'
        html = html.replace(link, f'<a href="{request.path}" aria-current="page">', 1)
    return mark_safe(html)  # noqa: S308 (our template)
