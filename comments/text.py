"""Comment text is plain text: shown as typed, never interpreted as HTML."""

import re

from django.utils.html import urlize
from django.utils.safestring import mark_safe

LINK_REL = "nofollow ugc noopener"
_BLANK_LINE = re.compile(r"\n[ \t]*\n+")
# What counts as a link for the moderation rule: web addresses and the markup
# spammers paste (HTML anchors, BBCode).
_LINK = re.compile(r"https?://|\bwww\.|<a\s|\[url", re.IGNORECASE)


def render_comment_text(text):
    """Safe HTML for `text`: every character escaped, blank lines made into
    paragraphs, single line breaks kept, and web addresses made into links
    marked as user content."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for paragraph in _BLANK_LINE.split(text):
        # urlize escapes everything it does not turn into a link, so the only
        # markup in its output is its own <a> tags.
        linked = urlize(paragraph.strip(), nofollow=True, autoescape=True)
        linked = linked.replace(' rel="nofollow"', f' rel="{LINK_REL}"')
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308 (escaped by urlize above)


def count_links(text):
    return len(_LINK.findall(text or ""))
