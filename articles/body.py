"""An article's body as its page shows it: affiliate links rewritten
(affiliates.render), banners placed, and split around the table of contents."""

import re
from dataclasses import dataclass

from django.utils.safestring import mark_safe

from affiliates.render import AffiliateContent, banner_html, links_of_article, rewrite_links
from articles.headings import intro_end, split_at_first_section

NOTE_PARAGRAPH = re.compile(
    r"<p\b[^>]*\bclass=\"(?:[^\"]*\s)?note(?:\s[^\"]*)?\"[^>]*>.*?</p\s*>", re.I | re.S
)


@dataclass(frozen=True)
class ArticleBody(AffiliateContent):
    @property
    def body_parts(self):
        """(intro, sections) of the rendered HTML: the table of contents goes between."""
        intro, sections = split_at_first_section(self.html)
        return mark_safe(intro), mark_safe(sections)  # noqa: S308 (parts of safe HTML)


def insert_after_intro(markup, snippet):
    """Put `snippet` at the end of the intro (see Article.banner_after_intro's help)."""
    if not snippet:
        return markup
    end = intro_end(markup)
    note = NOTE_PARAGRAPH.search(markup, 0, end)
    at = note.end() if note else end
    return markup[:at] + snippet + markup[at:]


def render_article(*, article):
    """The article's body with its links rewritten and its banners placed."""
    links_by_slug = links_of_article(article=article)
    by_pk = {link.pk: link for link in links_by_slug.values()}
    markup = article.body_html or article.body

    body, found = rewrite_links(markup, links_by_slug=links_by_slug, from_slug=article.slug)
    after_intro = banner_html(
        link=by_pk.get(article.banner_after_intro_id), from_slug=article.slug, placement="intro"
    )
    sidebar = banner_html(
        link=by_pk.get(article.banner_sidebar_id), from_slug=article.slug, placement="sidebar"
    )
    return ArticleBody(
        # The body was sanitised when stored; only our own escaped attributes
        # and the banner template were added to it.
        html=mark_safe(insert_after_intro(body, after_intro)),  # noqa: S308
        sidebar_banner=mark_safe(sidebar),  # noqa: S308
        has_affiliate_links=bool(found or after_intro or sidebar),
    )
