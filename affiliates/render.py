"""Affiliate links and banners as readers see them.

One pass over the links of stored (already sanitised) HTML: every /go/ link and every
raw link to an affiliate host gets rel="sponsored nofollow noopener" and the
marker; /go/ links also get `?from=<page slug>` so the click is credited to
the page, and direct links are pointed at their destination with a `ping`
back to /go/<slug>/ping/. The result depends only on the page and the links,
never on the reader, so the page stays cacheable.
"""

import html
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from affiliates.hosts import is_affiliate_host
from affiliates.models import AffiliateLink
from affiliates.parsing import go_slug_of, go_slugs_of, hrefs_of_article, links_in
from core.markup import parse, splice, start_tag

REL = "sponsored nofollow noopener"


@dataclass(frozen=True)
class AffiliateContent:
    """Rendered rich text plus what the page needs to know about its affiliate links."""

    html: str
    sidebar_banner: str = ""
    has_affiliate_links: bool = False

    @property
    def disclosure_text(self):
        return settings.AFFILIATE_DISCLOSURE_TEXT

    @property
    def disclosure_url(self):
        return settings.AFFILIATE_DISCLOSURE_URL


def with_from(url, from_slug):
    return f"{url}?{urlencode({'from': from_slug})}" if from_slug else url


def link_attributes(*, slug, link, from_slug):
    """href (and ping for a direct link) of an affiliate link on the page `from_slug`."""
    if link is not None and link.is_direct and link.is_active:
        return {"href": link.target_url, "ping": with_from(link.ping_url, from_slug)}
    go = reverse("affiliates:go", kwargs={"slug": slug})
    return {"href": with_from(go, from_slug)}


def _marker(css_class="affiliate-marker"):
    text = settings.AFFILIATE_MARKER_TEXT
    return f' <span class="{css_class}">{html.escape(text)}</span>' if text else ""


def link_edits(markup, *, links_by_slug, from_slug, links=None):
    """[(start, end, replacement)] rewriting the affiliate links of sanitised
    `markup`, and how many there are.

    `links` are the links as an article's save stored them ([href, start,
    end of start tag, end]); without them, or when they no longer fit the
    markup, the markup is read with core.markup.
    """
    if links is None or not _fit(markup, links):
        links = links_in(markup)
    edits, found = [], 0
    for href, start, tag_end, end in links:
        slug = go_slug_of(href)
        if not slug and not is_affiliate_host(href):
            continue
        attributes = parse(markup[start:tag_end])[0].attrs
        if slug:
            new = link_attributes(slug=slug, link=links_by_slug.get(slug), from_slug=from_slug)
            attributes.pop("ping", None)
            attributes.update(new)
        attributes["rel"] = REL
        found += 1
        edits.append((start, tag_end, start_tag("a", attributes)))
        edits.append((end, end, _marker()))
    return edits, found


def _fit(markup, links):
    return all(
        markup.startswith("<a", start) and markup.endswith("</a>", 0, end)
        for _, start, _, end in links
    )


def rewrite_links(markup, *, links_by_slug, from_slug, links=None):
    """(html, number of affiliate links) for sanitised `markup` (see link_edits)."""
    edits, found = link_edits(
        markup or "", links_by_slug=links_by_slug, from_slug=from_slug, links=links
    )
    return splice(markup or "", edits), found


def banner_html(*, link, from_slug, placement):
    """A banner's figure, or "" when the link cannot be shown as a banner now."""
    if link is None or not link.is_active or not link.is_banner or not link.banner_image:
        return ""
    return render_to_string(
        "affiliates/_affiliate_banner.html",
        {
            "link": link,
            "attributes": link_attributes(slug=link.slug, link=link, from_slug=from_slug),
            "rel": REL,
            "marker": settings.AFFILIATE_MARKER_TEXT,
            "placement": placement,
        },
    )


def links_of_article(*, article):
    """{slug: link} of the links the article uses, from the usage table in one
    query, and only when its body or a banner slot can hold one."""
    slugs = go_slugs_of(hrefs_of_article(article))
    if article.banner_after_intro_id or article.banner_sidebar_id or slugs:
        used = AffiliateLink.objects.filter(usages__article=article).distinct()
        return {link.slug: link for link in used}
    return {}


def render_rich_text(*, markup, from_slug=""):
    """Affiliate rewriting for other sanitised rich text (category intros, flat pages)."""
    links = links_in(markup)
    slugs = go_slugs_of(link[0] for link in links)
    links_by_slug = AffiliateLink.objects.in_bulk(slugs, field_name="slug") if slugs else {}
    body, found = rewrite_links(
        markup, links_by_slug=links_by_slug, from_slug=from_slug, links=links
    )
    return AffiliateContent(html=mark_safe(body), has_affiliate_links=bool(found))  # noqa: S308
