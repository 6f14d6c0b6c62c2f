"""One flat namespace for the addresses of categories and articles.

Categories and articles both live at `/<slug>/`, like the source site, so a
slug taken by one kind is refused for the other, and no slug may shadow a
fixed path of the site.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

RESERVED_SLUGS = frozenset(
    {
        "admin",
        "ckeditor",
        "comments",
        "disclosure",
        "favicon.ico",
        "feed",
        "find",
        "go",
        "healthz",
        "media",
        "reviewers",
        "robots.txt",
        "search",
        "sitemap.xml",
        "static",
    }
)


OTHER_KIND = {"articles.article": "articles.Category", "articles.category": "articles.Article"}


def reserved_slugs():
    """The fixed list plus the first part of the admin's address (DJANGO_ADMIN_PATH)."""
    return RESERVED_SLUGS | {settings.ADMIN_PATH.split("/", 1)[0]}


def validate_slug_is_free(slug, *, instance):
    """Raise ValidationError when `slug` is reserved or used by the other kind.

    `instance` is the Category or Article being saved; its own kind's
    uniqueness is left to the field's unique constraint.
    """
    if slug in reserved_slugs():
        raise ValidationError(
            {"slug": f"“{slug}” is reserved for a page of the site itself. Choose another slug."}
        )
    # By label: the models' modules import this one for their clean().
    other = apps.get_model(OTHER_KIND[instance._meta.label_lower])
    if other.objects.filter(slug=slug).exists():
        kind = other._meta.verbose_name
        raise ValidationError(
            {
                "slug": f"The address /{slug}/ is already used by the {kind} "
                f"“{other.objects.get(slug=slug)}”. Choose another slug."
            }
        )
