"""Which articles use which affiliate link, recorded when either is saved.

The admin lists a link's articles and the article page fetches its links
from this table, so no request ever scans article bodies.
"""

from django.db import transaction

from articles.affiliate.parsing import go_slugs_in, uncloaked_links_in


def record_usage(*, article):
    """Replace the article's usage rows with what its body and banner slots hold now."""
    from articles.models import AffiliateLink, ArticleAffiliateLink

    placement = ArticleAffiliateLink.Placement
    wanted = set()
    slugs = go_slugs_in(article.body)
    if slugs:
        for link_id in AffiliateLink.objects.filter(slug__in=slugs).values_list("pk", flat=True):
            wanted.add((link_id, placement.BODY))
    if article.banner_after_intro_id:
        wanted.add((article.banner_after_intro_id, placement.AFTER_INTRO))
    if article.banner_sidebar_id:
        wanted.add((article.banner_sidebar_id, placement.SIDEBAR))

    with transaction.atomic():
        current = set(
            ArticleAffiliateLink.objects.filter(article=article).values_list("link_id", "placement")
        )
        for link_id, where in current - wanted:
            ArticleAffiliateLink.objects.filter(
                article=article, link_id=link_id, placement=where
            ).delete()
        ArticleAffiliateLink.objects.bulk_create(
            [
                ArticleAffiliateLink(article=article, link_id=link_id, placement=where)
                for link_id, where in wanted - current
            ]
        )


def record_usage_for_link(*, link):
    """Record the articles that already link to /go/<slug>/ of a link just saved.

    Only needed when an editor wrote the link into an article before creating
    it; a LIKE over bodies is fine for a save the owner makes by hand.
    """
    from articles.models import Article, ArticleAffiliateLink

    candidates = Article.objects.filter(body__contains=f"/{link.slug}/")
    for article in candidates.only("pk", "body"):
        if link.slug in go_slugs_in(article.body):
            ArticleAffiliateLink.objects.get_or_create(
                article=article, link=link, placement=ArticleAffiliateLink.Placement.BODY
            )


def affiliate_warnings(*, article):
    """What an editor should fix about the article's affiliate links, as sentences."""
    from articles.models import AffiliateLink

    warnings = [
        f"Uncloaked affiliate link: {href} goes straight to the merchant. Create an affiliate "
        "link for it and link the text to its /go/ address, so clicks are counted and the "
        "link can be switched off in one place."
        for href in uncloaked_links_in(article.body)
    ]
    slugs = go_slugs_in(article.body)
    known = dict(AffiliateLink.objects.filter(slug__in=slugs).values_list("slug", "is_active"))
    for slug in slugs:
        if slug not in known:
            warnings.append(
                f"The text links to /go/{slug}/, but no affiliate link has that slug: readers "
                "who click it get “page not found”."
            )
        elif not known[slug]:
            warnings.append(
                f"The text links to /go/{slug}/, which is switched off: readers who click it "
                "are told the offer has ended."
            )
    return warnings
