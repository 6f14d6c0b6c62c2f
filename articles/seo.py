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


def find_data(request, region=None, symptom=None):
    """schema.org CollectionPage for /find/ and its region and symptom pages,
    with their BreadcrumbList (home › Find your injury › region › symptom)."""
    trail = [
        (settings.SITE_NAME, reverse("articles:home")),
        ("Find your injury", reverse("articles:find")),
    ]
    if region is not None:
        trail.append((f"Pain around the {region.name}", region.get_absolute_url()))
    if symptom is not None:
        trail.append((symptom.name[:1].upper() + symptom.name[1:], symptom.get_absolute_url()))
    name, path = trail[-1]
    url = absolute_url(request, path)
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": name,
        "isPartOf": {"@id": _website_id(request)},
        "breadcrumb": _breadcrumbs(request, trail),
    }


def reviewer_person(reviewer, request):
    """schema.org Person for a medical reviewer: name, profile and each credential."""
    person = {
        "@type": "Person",
        "name": reviewer.name,
        "url": absolute_url(request, reviewer.get_absolute_url()),
    }
    credentials = [
        {"@type": "EducationalOccupationalCredential", "name": credential}
        for credential in reviewer.credential_list()
    ]
    if credentials:
        person["hasCredential"] = credentials
    return person


def reviewer_data(reviewer, request):
    """schema.org ProfilePage for a reviewer's profile, the Person as its main entity."""
    url = absolute_url(request, reviewer.get_absolute_url())
    person = reviewer_person(reviewer, request)
    if reviewer.biography:
        person["description"] = reviewer.biography
    if reviewer.link_list():
        person["sameAs"] = reviewer.link_list()
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "name": reviewer.name_with_credentials,
        "isPartOf": {"@id": _website_id(request)},
        "mainEntity": person,
    }


def _condition(article, url):
    """schema.org MedicalCondition for an injury article, from its tags."""
    return {
        "@type": "MedicalCondition",
        "@id": f"{url}#condition",
        "name": article.condition_name or article.title,
        "signOrSymptom": [
            {"@type": "MedicalSignOrSymptom", "name": symptom["name"]}
            for symptom in article.symptom_list
        ]
        or None,
        "associatedAnatomy": [
            {"@type": "AnatomicalStructure", "name": region["name"]}
            for region in article.region_list
        ]
        or None,
    }


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
    """schema.org data for an article's page, home › category › article in its breadcrumb.

    An injury article (one tagged with symptoms or regions) is a
    MedicalWebPage about a MedicalCondition; any other (gear, training) is a
    WebPage whose main entity is the Article. The medical review (reviewedBy,
    lastReviewed) belongs to the page, where schema.org defines it;
    dateModified is the editor's own "Updated" date, or the publication.
    """
    url = absolute_url(request, article.get_absolute_url())
    publisher = _publisher(request)
    if article.author_id:
        name = article.author.get_full_name() or article.author.get_username()
        author = {"@type": "Person", "name": name}
    else:
        author = publisher  # no person recorded: the site wrote it
    published = article.published_at.isoformat()
    modified = article.updated_on.isoformat() if article.updated_on else published
    description = article.meta_description or article.summary or None
    image = absolute_url(request, article.image.url) if article.image else None
    if article.is_medical:
        kind, main = "MedicalWebPage", _condition(article, url)
    else:
        kind = "WebPage"
        main = {
            "@type": "Article",
            "@id": f"{url}#article",
            "headline": article.title,
            "description": description,
            "url": url,
            "author": author,
            "publisher": publisher,
            "datePublished": published,
            "dateModified": modified,
            "articleSection": article.category.title,
            "image": image,
        }
    page = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": url,
        "url": url,
        "name": article.title,
        "description": description,
        "isPartOf": {"@id": _website_id(request)},
        "author": author,
        "publisher": publisher,
        "datePublished": published,
        "dateModified": modified,
        "primaryImageOfPage": image,
        "reviewedBy": reviewer_person(article.reviewer, request) if article.reviewer else None,
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
