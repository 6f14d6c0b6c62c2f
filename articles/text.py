"""Cutting text to the short excerpt that listings show, and tidying text
that readers send. (The text of stored HTML comes from core.markup.)"""

import re

# Control characters that are not whitespace (str.split treats \t-\r,
# \x1c-\x1f and \x85 as spaces, so those stay).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def drop_control_characters(text):
    """`text` without control characters other than whitespace.

    Nobody types them, and PostgreSQL refuses a NUL in any query, so text
    from a URL or a header is passed through this before it is looked up.
    """
    return _CONTROL.sub("", text or "")


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
