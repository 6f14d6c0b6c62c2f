"""Clicks arriving at the same moment are all counted: one INSERT each, no
counter to read and write back. Real HTTP requests to the live server, each
handled in its own thread with its own database connection."""

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from affiliates.models import AffiliateClick
from tests.factories import AffiliateLinkFactory, ArticleFactory

PARALLEL = 50
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def test_fifty_parallel_clicks_on_go_are_all_counted(live_server):
    ArticleFactory(slug="runners-knee")
    link = AffiliateLinkFactory(slug="knee-sleeve")
    port = urlsplit(live_server.url).port
    path = link.get_absolute_url() + "?from=runners-knee"
    start = threading.Barrier(PARALLEL)

    def click(_):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        try:
            connection.request("GET", path, headers={"User-Agent": BROWSER})
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        answers = list(pool.map(click, range(PARALLEL)))

    assert answers == [(302, link.target_url)] * PARALLEL
    assert AffiliateClick.objects.filter(link=link).count() == PARALLEL
    assert AffiliateClick.objects.filter(from_article__slug="runners-knee").count() == PARALLEL
