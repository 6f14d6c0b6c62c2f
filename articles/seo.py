"""What search engines and sharing previews read: absolute addresses and
structured data, built the same way for pages, the feed and the sitemap."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.citations import references_of

# Inside <script>, "</script>" or "<!--" in a title must not end the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(request, path):
    """`path` on the site's public address (SITE_URL, else the request's host)."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def json_ld(data):
    """A <script type="application/ld+json"> element that no value can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def last_modified(article):
    """When the article's page last changed: its last save, or its publication
    when that came later (a scheduled article goes live without a save)."""
    return max(article.updated_at, article.published_at)


def _website_id(request):
    return absolute_url(request, reverse("articles:home")) + "#website"


def _publisher(request):
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url(request, reverse("articles:home")),
    }


def _breadcrumbs(request, trail):
    """A BreadcrumbList of (name, path) pairs, home first."""
    return {
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


def website_data(request):
    """schema.org WebSite for the home page, with the site search as its SearchAction."""
    home = absolute_url(request, reverse("articles:home"))
    search = absolute_url(request, reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": _website_id(request),
        "url": home,
        "name": settings.SITE_NAME,
        "description": settings.SITE_TAGLINE,
        "publisher": _publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def category_data(category, request):
    """schema.org CollectionPage for a hub, with its BreadcrumbList (home › category)."""
    url = absolute_url(request, category.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": category.title,
        "description": category.meta_description or None,
        "isPartOf": {"@id": _website_id(request)},
        "breadcrumb": _breadcrumbs(
            request,
            [
                (settings.SITE_NAME, reverse("articles:home")),
                (category.title, category.get_absolute_url()),
            ],
        ),
    }
    return {key: value for key, value in data.items() if value is not None}


def citation_data(article):
    """schema.org `citation`: the article's references as CreativeWorks, or None."""
    works = [
        {
            key: value
            for key, value in {
                "@type": "CreativeWork",
                "name": reference.citation,
                "url": reference.url or None,
            }.items()
            if value is not None
        }
        for reference in references_of(article)
    ]
    return works or None


def article_data(article, request):
    """schema.org MedicalWebPage for an article's page: the Article is its main
    entity; the medical review (reviewedBy, lastReviewed) belongs to the page,
    where schema.org defines it; the BreadcrumbList is home › category › article."""
    url = absolute_url(request, article.get_absolute_url())
    publisher = _publisher(request)
    if article.author_id:
        name = article.author.get_full_name() or article.author.get_username()
        author = {"@type": "Person", "name": name}
    else:
        author = publisher  # no person recorded: the site wrote it
    main = {
        "@type": "Article",
        "@id": f"{url}#article",
        "headline": article.title,
        "description": article.meta_description or article.summary or None,
        "url": url,
        "author": author,
        "publisher": publisher,
        "datePublished": article.published_at.isoformat(),
        "dateModified": last_modified(article).isoformat(),
        "articleSection": article.category.title,
        "image": absolute_url(request, article.image.url) if article.image else None,
    }
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "isPartOf": {"@id": _website_id(request)},
        "datePublished": main["datePublished"],
        "dateModified": main["dateModified"],
        "reviewedBy": {"@type": "Person", "name": article.reviewed_by}
        if article.reviewed_by
        else None,
        "lastReviewed": article.reviewed_on.isoformat() if article.reviewed_on else None,
        "citation": citation_data(article),
        "breadcrumb": _breadcrumbs(
            request,
            [
                (settings.SITE_NAME, reverse("articles:home")),
                (article.category.title, article.category.get_absolute_url()),
                (article.title, article.get_absolute_url()),
            ],
        ),
        "mainEntity": {key: value for key, value in main.items() if value is not None},
    }
    return {key: value for key, value in page.items() if value is not None}
