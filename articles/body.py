"""An article's body as its page shows it: affiliate links rewritten
(affiliates.render), banners placed, and split around the table of contents.

Everything it needs was stored when the article was saved (articles.rendering):
the HTML, where its links sit, where its intro ends and where the banner after
the intro goes; nothing here parses the body.
"""

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from affiliates.render import AffiliateContent, banner_html, link_edits, links_of_article
from core.markup import moved, splice


@dataclass(frozen=True)
class ArticleBody(AffiliateContent):
    # Where `html` is cut for the table of contents: before its first h2
    # (-1, in a fragment cached by an older release: not cut).
    intro_end: int = -1

    @property
    def body_parts(self):
        """(intro, sections) of the rendered HTML: the table of contents goes between."""
        at = len(self.html) if self.intro_end < 0 else self.intro_end
        # Parts of safe HTML, cut between two tags.
        return mark_safe(self.html[:at]), mark_safe(self.html[at:])  # noqa: S308


def render_article(*, article):
    """The article's body with its links rewritten and its banners placed."""
    links_by_slug = links_of_article(article=article)
    by_pk = {link.pk: link for link in links_by_slug.values()}
    markup = article.body_html
    after_intro = banner_html(
        link=by_pk.get(article.banner_after_intro_id), from_slug=article.slug, placement="intro"
    )
    sidebar = banner_html(
        link=by_pk.get(article.banner_sidebar_id), from_slug=article.slug, placement="sidebar"
    )
    edits, found = link_edits(
        markup, links_by_slug=links_by_slug, from_slug=article.slug, links=article.links
    )
    intro_end = moved(article.intro_end, edits)
    if after_intro:
        # After the links' markers, as the banner follows the text before it.
        edits.append((article.banner_at, article.banner_at, after_intro))
        intro_end += len(after_intro)
    return ArticleBody(
        # The body was sanitised when stored; only our own escaped attributes
        # and the banner template were added to it.
        html=mark_safe(splice(markup, edits)),  # noqa: S308
        sidebar_banner=mark_safe(sidebar),  # noqa: S308
        has_affiliate_links=bool(found or after_intro or sidebar),
        intro_end=intro_end,
    )
