from django.conf import settings


def site(request):
    """Site-wide values every page's frame needs, none of them from the database."""
    width, height = settings.THUMBNAIL_SIZE
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "thumbnail_width": width,
        "thumbnail_height": height,
    }
