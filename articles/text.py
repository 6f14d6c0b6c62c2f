"""Turning stored HTML into the short plain text that listings show."""

import html
import re

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote|ul|ol|figcaption)\s*>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(markup):
    """Visible text of an HTML fragment, with blocks kept apart by a space."""
    text = _TAG.sub("", _BLOCK_END.sub(" ", markup or ""))
    return " ".join(html.unescape(text).split())


def cut_at_word(text, limit):
    """Shorten `text` to at most about `limit` characters at a word boundary.

    The result ends with "…" only when something was cut off; a text that
    already fits comes back whole.
    """
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"
