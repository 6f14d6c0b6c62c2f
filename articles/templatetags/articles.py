from django import template
from django.conf import settings

from articles.models import Article, Category

register = template.Library()


@register.inclusion_tag("articles/_recent_articles.html", takes_context=True)
def recent_articles(context):
    """The "Recent Articles" list: the newest published articles, newest first."""
    articles = Article.objects.published().for_listing()[: settings.RECENT_ARTICLES_COUNT]
    width, height = settings.THUMBNAIL_SIZE
    return {"articles": articles, "thumbnail_width": width, "thumbnail_height": height}


@register.inclusion_tag("includes/category_nav.html", takes_context=True)
def category_nav(context):
    request = context.get("request")
    return {
        "categories": Category.objects.only("title", "slug"),
        "current_path": request and request.path,
    }
