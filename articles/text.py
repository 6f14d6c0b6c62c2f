"""Turning stored HTML into the short plain text that listings show, and
tidying text that readers send."""

import html
import re

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote|ul|ol|figcaption)\s*>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")
# Control characters that are not whitespace (str.split treats \t-\r,
# \x1c-\x1f and \x85 as spaces, so those stay).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def drop_control_characters(text):
    """`text` without control characters other than whitespace.

    Nobody types them, and PostgreSQL refuses a NUL in any query, so text
    from a URL or a header is passed through this before it is looked up.
    """
    return _CONTROL.sub("", text or "")


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
