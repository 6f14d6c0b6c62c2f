"""The allow-list every stored rich-text field passes through on save.

Templates mark article bodies and category intros safe; this module is what
makes that true. Anything not listed here is removed, not escaped.
"""

import nh3

ALLOWED_TAGS = {
    "a", "blockquote", "br", "em", "figcaption", "figure", "h2", "h3", "h4",
    "i", "img", "li", "ol", "p", "strong", "b", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "p": {"class"},
    "h2": {"id"},
    "h3": {"id"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(markup):
    """Clean `markup` down to the allow-list; the result is safe to mark safe."""
    return nh3.clean(
        markup or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    )
