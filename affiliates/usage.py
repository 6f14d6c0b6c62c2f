"""What an editor should fix about an article's affiliate links.

Which articles use which link is recorded by affiliates.models.record_usage
when either is saved.
"""

from affiliates.models import AffiliateLink
from affiliates.parsing import go_slugs_of, hrefs_of_article, uncloaked_links_of


def affiliate_warnings(*, article):
    """What an editor should fix about the article's affiliate links, as sentences."""
    hrefs = hrefs_of_article(article)
    warnings = [
        f"Uncloaked affiliate link: {href} goes straight to the merchant. Create an affiliate "
        "link for it and link the text to its /go/ address, so clicks are counted and the "
        "link can be switched off in one place."
        for href in uncloaked_links_of(hrefs)
    ]
    slugs = go_slugs_of(hrefs)
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
