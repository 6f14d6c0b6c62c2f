"""Which addresses count as affiliate destinations.

Two settings decide it: AFFILIATE_ALLOWED_HOSTS (domains such as amazon.com
and amzn.to; each also covers its subdomains, so www.amazon.com is in) and
AFFILIATE_ALLOWED_SCHEMES (https only by default). They are read on every
call, so tests can point them at a server on 127.0.0.1.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def host_of(url):
    """The lower-case host name of `url`, or "" when it has none or is malformed."""
    try:
        return (urlsplit((url or "").strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""


def is_allowed_host(host):
    """True when `host` is an allow-listed domain or one of its subdomains."""
    host = (host or "").lower()
    for allowed in settings.AFFILIATE_ALLOWED_HOSTS:
        allowed = allowed.lower().strip(".")
        if allowed and (host == allowed or host.endswith("." + allowed)):
            return True
    return False


def is_affiliate_host(url):
    """True for an absolute http(s) address on a host of the affiliate allow-list."""
    try:
        scheme = urlsplit((url or "").strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in {"http", "https"} and is_allowed_host(host_of(url))


def validate_affiliate_destination(url):
    """Refuse a destination that is not on an allowed scheme and host.

    Used as the validator of AffiliateLink.destination_url, so the admin
    shows the message beside the field.
    """
    try:
        scheme = urlsplit((url or "").strip()).scheme.lower()
    except ValueError as error:
        raise ValidationError("Enter a complete web address.", code="invalid") from error
    schemes = [scheme.lower() for scheme in settings.AFFILIATE_ALLOWED_SCHEMES]
    if scheme not in schemes:
        raise ValidationError(
            "Affiliate destinations must start with %(schemes)s.",
            code="scheme",
            params={"schemes": " or ".join(f"{name}://" for name in schemes)},
        )
    host = host_of(url)
    if not is_allowed_host(host):
        allowed = sorted(name.lower() for name in settings.AFFILIATE_ALLOWED_HOSTS)
        raise ValidationError(
            "“%(host)s” is not an affiliate host this site accepts. Allowed: "
            "%(allowed)s and their subdomains. The site owner can extend the list with the "
            "AFFILIATE_ALLOWED_HOSTS setting.",
            code="host",
            params={"host": host or "(none)", "allowed": ", ".join(allowed)},
        )
