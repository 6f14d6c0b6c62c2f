from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def form_token_outlives_cached_pages(app_configs, **kwargs):
    """A cached article page carries the form token of when it was rendered,
    so the token must stay valid for longer than any copy of the page lives:
    PAGE_CACHE_TIMEOUT in the page cache, then up to PAGE_CACHE_SHARED_MAX_AGE
    more in a shared proxy's cache (nginx's micro-cache) that took it from there."""
    longest_cache = settings.PAGE_CACHE_TIMEOUT + settings.PAGE_CACHE_SHARED_MAX_AGE
    if longest_cache >= settings.COMMENTS_FORM_MAX_AGE_SECONDS:
        return [
            Error(
                f"COMMENTS_FORM_MAX_AGE_SECONDS ({settings.COMMENTS_FORM_MAX_AGE_SECONDS}) must be "
                f"larger than the page cache lifetime ({longest_cache} s), or readers of a cached "
                "page would have their comments stored as spam.",
                hint="Raise COMMENTS_FORM_MAX_AGE_SECONDS (it defaults to PAGE_CACHE_TIMEOUT "
                "plus two days) or lower PAGE_CACHE_TIMEOUT.",
                id="comments.E001",
            )
        ]
    if settings.COMMENTS_MIN_SUBMIT_SECONDS >= settings.COMMENTS_FORM_MAX_AGE_SECONDS:
        return [
            Error(
                "COMMENTS_MIN_SUBMIT_SECONDS must be smaller than COMMENTS_FORM_MAX_AGE_SECONDS.",
                id="comments.E002",
            )
        ]
    return []


@register(deploy=True)
def site_url_is_set_for_production(app_configs, **kwargs):
    """Reply e-mails link to SITE_URL; the development default is no use to readers."""
    url = settings.SITE_URL
    if not url or "127.0.0.1" in url or "localhost" in url:
        return [
            Warning(
                f"SITE_URL is {url or 'not set'}, so links in reply e-mails will not work.",
                hint="Set SITE_URL to the site's public address, e.g. https://www.example.com.",
                id="comments.W001",
            )
        ]
    return []
