from django import template
from django.utils.safestring import mark_safe

from articles.frame import site_frame

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_articles(context):
    """The "Recent Articles" list: the newest published articles, newest first.

    The same on every page, so it is rendered once per content change
    (articles.frame).
    """
    return mark_safe(site_frame(context.get("request"))["recent"])  # noqa: S308 (our template)


@register.simple_tag(takes_context=True)
def category_nav(context):
    """The navigation by injury category, with the current page's link marked.

    Rendered once per content change (articles.frame); only the aria-current
    mark is added per page.
    """
    html = site_frame(context.get("request"))["nav"]
    request = context.get("request")
    if request is not None:
        link = f'<a href="{request.path}">'
        html = html.replace(link, f'<a href="{request.path}" aria-current="page">', 1)
    return mark_safe(html)  # noqa: S308 (our template)
