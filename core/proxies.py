"""The reader's address when the site runs behind reverse proxies.

`client_ip` is the one source of it: comments (their stored address, the
rate limit, the known-commenter and duplicate checks), django-axes
(AXES_CLIENT_IP_CALLABLE) and the log (ClientAddressFilter) all ask it.
"""

import ipaddress
import logging

from django.conf import settings


def client_ip(request):
    """The address the request came from, as far as it can be trusted, or None.

    With settings.TRUSTED_PROXY_COUNT proxies in front of Django, each appends
    the address it received the request from to X-Forwarded-For (the shipped
    nginx, the only one, overwrites the header with it), so the reader's
    address is that many entries from the right. Entries further left were
    written by the client and could be anything, so they are never used.
    Without proxies (count 0), or when the header is shorter than expected
    (the request reached Django without the proxy), the connection's own
    address is used. Anything that is not an IP address gives None.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if count > 0 and len(forwarded) >= count:
        value = forwarded[-count]
    else:
        value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class ClientAddressFilter(logging.Filter):
    """Gives every log record a `client_ip`: the reader's address for records
    about a request (Django's django.request and django.security loggers attach
    it), "-" for the others, so the log names the reader and not the proxy."""

    def filter(self, record):
        request = getattr(record, "request", None)
        address = None
        if request is not None and hasattr(request, "META"):
            address = client_ip(request)
        record.client_ip = address or "-"
        return True
