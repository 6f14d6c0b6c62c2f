"""Counting clicks on affiliate links.

One INSERT per click and never a read-modify-write of a counter, so clicks
arriving at the same moment are all kept. Nothing that identifies the reader
is stored: the user agent is only looked at to leave out known bots.
"""

import re

from django.conf import settings

from affiliates.models import AffiliateClick, article_model

COUNTED_METHODS = {"GET": AffiliateClick.Via.REDIRECT, "POST": AffiliateClick.Via.PING}
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def article_slug_from(value):
    """`value` (from ?from=) when it could be an article's slug, else "".

    Anything else is not looked up at all: it cannot name an article, and
    PostgreSQL would refuse some of it (a NUL character) with an error.
    """
    max_length = article_model()._meta.get_field("slug").max_length
    if value and len(value) <= max_length and _SLUG.fullmatch(value):
        return value
    return ""


def is_bot(user_agent):
    """True for an empty user agent or one naming a bot from AFFILIATE_BOT_USER_AGENTS."""
    agent = (user_agent or "").lower()
    return not agent or any(word.lower() in agent for word in settings.AFFILIATE_BOT_USER_AGENTS)


def is_prefetch(purpose):
    """True when the browser fetched the link ahead of a click that may never come."""
    return "prefetch" in (purpose or "").lower() or "prerender" in (purpose or "").lower()


def record_click(*, link, from_slug, user_agent, method, purpose=""):
    """Record one click on `link` and return it, or None when it must not count.

    GET is a reader following /go/<slug>/; POST is a browser's ping from a
    direct link. HEAD and anything else, bots, prefetches (`purpose` is the
    Sec-Purpose or Purpose header) and links that are switched off are not
    counted. `from_slug` credits the article the link was on; anything that
    is not an article's slug is ignored.
    """
    via = COUNTED_METHODS.get(method.upper())
    if via is None or not link.is_active or is_bot(user_agent) or is_prefetch(purpose):
        return None
    from_article_id = None
    from_slug = article_slug_from(from_slug)
    if from_slug:
        from_article_id = (
            article_model().objects.filter(slug=from_slug).values_list("pk", flat=True).first()
        )
    return AffiliateClick.objects.create(link=link, from_article_id=from_article_id, via=via)
