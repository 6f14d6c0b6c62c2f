"""/healthz: is this instance able to serve pages?"""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from core.maintenance import DATABASE_DOWN_ERRORS


@never_cache
def healthz(request):
    """200 "ok" when the database answers one trivial query, 503 when it does not.

    Cheap enough for a load balancer to call every few seconds, and never
    cached, so it always reports the present.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_DOWN_ERRORS:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
