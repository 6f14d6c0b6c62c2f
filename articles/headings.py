"""Section headings in stored HTML: linkable ids and the table of contents.

Works on HTML that articles.sanitize has already cleaned, whose tags and
attributes are in a fixed, normalised form, so regular expressions are
enough. Every `<h2>` and `<h3>` gets an id made from its text, unique within
the page and never one of the ids the page frame itself uses.
"""

import html
import re
from dataclasses import dataclass

from django.utils.text import slugify

from articles.text import html_to_text

_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID_ATTRIBUTE = re.compile(r'\s+id="[^"]*"')
_ID_VALUE = re.compile(r'\sid="([^"]*)"')

# Ids used by base.html, article_detail.html and their includes.
FRAME_IDS = frozenset(
    {
        "top",
        "content",
        "comments",
        "comments-heading",
        "comment-form",
        "comment-form-heading",
        "recent-articles-heading",
        "table-of-contents",
        "hub-articles-heading",
        "site-search-q",
        "search-heading",
        "search-q",
        "search-error",
    }
)
MAX_ID_LENGTH = 60
# Comment permalinks on the same page are "comment-<number>".
_COMMENT_ANCHOR = re.compile(r"comment-\d+$")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


def assign_heading_ids(markup):
    """Give every h2 and h3 in `markup` an id made from its text.

    Ids repeat the heading's words ("what-causes-runners-knee"); a repeated
    heading gets "-2", "-3"…, and a heading with no usable text "section".
    An id the editor typed is replaced, so the id always follows the text.
    """
    taken = set(FRAME_IDS)

    def replace(match):
        level, attributes, inner = match.groups()
        base = slugify(html_to_text(inner))[:MAX_ID_LENGTH].strip("-") or "section"
        candidate, number = base, 1
        while candidate in taken or _COMMENT_ANCHOR.match(candidate):
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        attributes = _ID_ATTRIBUTE.sub("", attributes)
        return f'<h{level} id="{candidate}"{attributes}>{inner}</h{level}>'

    return _HEADING.sub(replace, markup or "")


def table_of_contents(markup):
    """The h2 and h3 headings of `markup`, in order, as Heading entries."""
    entries = []
    for level, attributes, inner in _HEADING.findall(markup or ""):
        found = _ID_VALUE.search(attributes)
        if found:
            entries.append(Heading(int(level), html.unescape(found.group(1)), html_to_text(inner)))
    return entries


def intro_end(markup):
    """Where the intro of `markup` ends: at its first h2, or at its end.

    The one rule for "the intro" that the table of contents, the banner after
    the intro and eager image loading all follow."""
    index = (markup or "").find("<h2")
    return len(markup or "") if index == -1 else index


def split_at_first_section(markup):
    """(intro, rest): `markup` cut before its first h2, where the contents go."""
    markup = markup or ""
    index = intro_end(markup)
    return markup[:index], markup[index:]
