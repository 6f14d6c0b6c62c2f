"""The reader's address when the site runs behind reverse proxies."""

from django.conf import settings


def client_ip(request):
    """The address the request came from, as far as it can be trusted.

    With settings.TRUSTED_PROXY_COUNT proxies in front of Django, each appends
    the address it received the request from to X-Forwarded-For, so the
    reader's address is that many entries from the right. Entries further left
    were written by the client and could be anything, so they are never used.
    Without proxies (count 0), or when the header is shorter than expected,
    the connection's own address is used.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
