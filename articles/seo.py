"""What search engines and sharing previews read: absolute addresses and
structured data, built the same way for pages, the feed and the sitemap."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Inside <script>, "</script>" or "<!--" in a title must not end the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(request, path):
    """`path` on the site's public address (SITE_URL, else the request's host)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def public_url(path):
    """`path` on SITE_URL, or left relative (so on whatever host the page
    linking to it was served from) while SITE_URL is empty. For links made
    without a request, such as the admin's "View on site"."""
    return settings.SITE_URL + path if settings.SITE_URL else path


def json_ld(data):
    """A <script type="application/ld+json"> element that no value can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def article_data(article, request):
    """schema.org Article and BreadcrumbList (home › category › article)."""
    url = absolute_url(request, article.get_absolute_url())
    article_data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.meta_description or article.summary,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "articleSection": article.category.title,
    }
    if article.image:
        article_data["image"] = absolute_url(request, article.image.url)
    if article.author_id:
        name = article.author.get_full_name() or article.author.get_username()
        article_data["author"] = {"@type": "Person", "name": name}
    if article.reviewed_by:
        article_data["reviewedBy"] = {"@type": "Person", "name": article.reviewed_by}
    if article.reviewed_on:
        article_data["lastReviewed"] = article.reviewed_on.isoformat()
    trail = [
        (settings.SITE_NAME, "/"),
        (article.category.title, article.category.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    ]
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(request, path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }
    return [{k: v for k, v in article_data.items() if v is not None}, breadcrumbs]
