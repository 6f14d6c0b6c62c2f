"""The sites framework's one row, named after this site.

django.contrib.sites (needed by flat pages and redirects) creates its row as
"example.com" after every migrate and flush; that domain then shows in the
admin and in any address the sites framework builds. Run after it, this
gives the row the site's own name and domain, so a change of SITE_URL takes
effect at the next migrate.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.color import no_style
from django.db import connections, router

# The development server's address (README's Quick start), while SITE_URL is empty.
DEVELOPMENT_DOMAIN = "127.0.0.1:8000"


def site_domain():
    return urlsplit(settings.SITE_URL).netloc or DEVELOPMENT_DOMAIN


def name_the_site(*, using="default"):
    if not router.allow_migrate_model(using, Site):
        return
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": settings.SITE_NAME}
    )
    # The row was written with its id given: move PostgreSQL's sequence past it.
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Site]):
            cursor.execute(sql)
