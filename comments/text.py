"""Comment text is plain text: shown as typed, never interpreted as HTML."""

import html
import re
from html.parser import HTMLParser

from django.utils.html import urlize
from django.utils.safestring import mark_safe

from affiliates.hosts import is_affiliate_host

LINK_REL = "nofollow ugc noopener"
# A reader's link to a shop in the affiliate allow-list is marked as paid
# too, so no page shows an affiliate address without rel="sponsored".
AFFILIATE_LINK_REL = "sponsored " + LINK_REL
_URLIZED = re.compile(r'<a href="([^"]*)" rel="nofollow">')
_BLANK_LINE = re.compile(r"\n[ \t]*\n+")
# What counts as a link for the moderation rule: web addresses and the markup
# spammers paste (HTML anchors, BBCode).
_LINK = re.compile(r"https?://|\bwww\.|<a\s|\[url", re.IGNORECASE)


def render_comment_text(text):
    """Safe HTML for `text`: every character escaped, blank lines made into
    paragraphs, single line breaks kept, and web addresses made into links
    marked as user content.

    Rendered afresh each time (about 4 ms for 50 typical comments): the
    article page that shows them is kept whole by the page cache, so this is
    work done once per page and content version, not per reader.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for paragraph in _BLANK_LINE.split(text):
        # urlize escapes everything it does not turn into a link, so the only
        # markup in its output is its own <a> tags.
        linked = urlize(paragraph.strip(), nofollow=True, autoescape=True)
        linked = _URLIZED.sub(_mark_link, linked)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308 (escaped by urlize above)


def _mark_link(match):
    rel = AFFILIATE_LINK_REL if is_affiliate_host(html.unescape(match[1])) else LINK_REL
    return f'<a href="{match[1]}" rel="{rel}">'


def count_links(text):
    return len(_LINK.findall(text or ""))


# Elements whose start and end break the text into paragraphs, and those that
# only start a new line.
_PARAGRAPHS = {"p", "div", "blockquote", "ul", "ol", "pre", "table", "h1", "h2", "h3", "h4"}
_LINES = {"br", "li", "tr", "h5", "h6"}
_UNSEEN = {"script", "style", "template", "head", "title"}
_SPACE = re.compile(r"\s+")


class _TextFromHTML(HTMLParser):
    """Collects the text of a message, the break each element implies, and
    link and image addresses. Blockquotes are kept as "> " lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = [[]]  # one list per open blockquote, the message's first
        self.links = []  # (href, index in the current part where its label starts)
        self.unseen = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _UNSEEN:
            self.unseen += 1
        elif self.unseen:
            return
        elif tag == "blockquote":
            self._break("\n\n")
            self.parts.append([])
        elif tag in _PARAGRAPHS:
            self._break("\n\n")
        elif tag in _LINES:
            self._break("\n")
            if tag == "li":
                self.parts[-1].append("- ")
        elif tag == "img" and attrs.get("src"):
            self.parts[-1].append(f" {attrs['src'].strip()} ")
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len(self.parts[-1])))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _PARAGRAPHS | _LINES | {"img"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _UNSEEN:
            self.unseen = max(self.unseen - 1, 0)
        elif self.unseen:
            return
        elif tag == "blockquote" and len(self.parts) > 1:
            quoted = _tidy("".join(self.parts.pop()))
            lines = [f"> {line}".rstrip() for line in quoted.split("\n")]
            self._break("\n\n")
            self.parts[-1].append("\n".join(lines))
            self._break("\n\n")
        elif tag in _PARAGRAPHS:
            self._break("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            part = self.parts[-1]
            label = " ".join("".join(part[start:]).split())
            del part[start:]
            href = href.strip()
            if not href or href.startswith(("javascript:", "#")):
                part.append(label)
            elif not label or label.rstrip("/.…") in href:
                part.append(href)
            else:
                part.append(f"{label} ({href})")

    def handle_data(self, data):
        if not self.unseen:
            self.parts[-1].append(_SPACE.sub(" ", data))

    def _break(self, kind):
        self.parts[-1].append(kind)

    def text(self):
        self.close()
        while len(self.parts) > 1:  # an unclosed blockquote
            self.handle_endtag("blockquote")
        return _tidy("".join(self.parts[0]))


def _tidy(text):
    lines = [
        " ".join(line.split()) if not line.startswith(">") else line.strip()
        for line in text.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_from_html(message):
    """Plain text that keeps the meaning of an HTML comment from another
    system (a Disqus message): paragraphs apart by a blank line, line breaks,
    list items and blockquotes ("> ") on their own lines, links as their
    address (after their label when it differs), images as their address,
    and nothing of scripts or styles."""
    parser = _TextFromHTML()
    parser.feed(message or "")
    return parser.text()


def html_from_text(text):
    """The HTML other comment systems expect for our plain `text`: escaped,
    a <p> per paragraph and <br> per line break. text_from_html gives the
    text back."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
