"""The allow-list every stored rich-text field passes through on save.

Templates mark article bodies and category intros safe; this module is what
makes that true. Anything not listed here is removed, not escaped: tags and
attributes not named below, every event-handler attribute, URLs with a scheme
other than http, https or mailto (so no javascript:, vbscript: or data:),
style declarations other than a few sizes and alignments with plain values,
and iframes from any host but the allow-listed video players.

The editor's own images come through the upload view (articles/uploads.py),
so data: images are refused too: nothing is lost by it, and a data: URL is
one more place for a payload to hide.
"""

import re
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings

from core.markup import parse, splice, start_tag

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "caption",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "i",
    "iframe",
    "img",
    "li",
    "ol",
    "p",
    "strong",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# Everything inside these goes, not just the tag: their text is code or chrome.
DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "title", "textarea", "xmp"}
ALLOWED_ATTRIBUTES = {
    # href stays for affiliate links: rel, ping and the like are added when
    # the page is rendered (issue 4), never taken from what the editor typed.
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "style"},
    "p": {"style"},
    "h2": {"id", "style"},
    "h3": {"id", "style"},
    "h4": {"style"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
    # Data tables (CKEditor's table tool, pages moved in): cells may span.
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# class is only ever one of these values: "note" is the editor's call-out
# style, "decorative" marks an image whose empty alt text is on purpose.
ALLOWED_CLASSES = {"p": {"note"}, "img": {"decorative"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# A short list of presentational properties, each with a plain value: no
# url(), no expression(), no escapes, no comments.
ALLOWED_STYLES = {
    "width": re.compile(r"^\d{1,4}(\.\d{1,2})?(px|%|em|rem)?$"),
    "height": re.compile(r"^\d{1,4}(\.\d{1,2})?(px|%|em|rem)?$"),
    "float": re.compile(r"^(left|right|none)$"),
    "text-align": re.compile(r"^(left|right|center|justify)$"),
}
# Reading back the output of one pass settles in one more pass in every case
# known; the bound only keeps a pathological input from looping.
MAX_PASSES = 3
# Added to every iframe kept, in this order: nh3's own way of adding them
# writes them in a different order from one call to the next.
IFRAME_ATTRIBUTES = {
    "sandbox": "allow-scripts allow-same-origin allow-presentation",
    "referrerpolicy": "no-referrer",
    "loading": "lazy",
}


def iframe_hosts():
    return set(getattr(settings, "SANITIZE_IFRAME_HOSTS", ()))


def _clean_style(value):
    kept = []
    for declaration in value.split(";"):
        name, sep, val = declaration.partition(":")
        name, val = name.strip().lower(), val.strip().lower()
        pattern = ALLOWED_STYLES.get(name)
        if sep and pattern and pattern.match(val):
            kept.append(f"{name}: {val}")
    return "; ".join(kept) or None


def _is_allowed_iframe_src(value):
    parts = urlsplit(value)
    return parts.scheme == "https" and parts.hostname in iframe_hosts()


# An address whose scheme is hidden behind percent-encoding
# ("javascript%3Aalert(1)") is a relative path to a browser, so harmless, but
# never a link an editor meant: it is dropped rather than kept for a reader to
# puzzle over, and so no decoding step anywhere can turn it into script.
_HIDDEN_SCRIPT_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster"})


def _filter_attribute(tag, attribute, value):
    if attribute == "style":
        return _clean_style(value)
    if tag == "iframe" and attribute == "src":
        return value if _is_allowed_iframe_src(value) else None
    if attribute in _URL_ATTRIBUTES and _HIDDEN_SCRIPT_SCHEME.match(unquote(value)):
        return None
    return value


def sanitize_html(markup):
    """Clean `markup` down to the allow-list; the result is safe to mark safe.

    An iframe whose address is not on SANITIZE_IFRAME_HOSTS is removed whole;
    the players that are allowed run sandboxed, without the page's referrer.

    The parser nh3 uses can build a tree that HTML cannot express (a stray
    </p> inside a <select> becomes a <p> inside a <p>), whose text then reads
    back as a different tree. The output is therefore cleaned again until
    reading it back changes nothing: what is stored is exactly what a browser
    will build from it, and saving an article again never changes its body.
    """
    cleaned = _clean_once(markup or "")
    for _ in range(MAX_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(markup):
    cleaned = nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    if "<iframe" not in cleaned and ' class=""' not in cleaned:
        return cleaned
    return splice(cleaned, _tidy(parse(cleaned)))


def _tidy(tokens):
    """Edits to what nh3 wrote: an iframe whose address was refused goes; a
    kept one gets its sandbox and loses its content (fallback text that
    browsers never show); a class attribute left empty, when none of an
    element's classes was allowed, goes."""
    edits, iframe = [], None
    for token in tokens:
        if iframe is not None:
            if token.kind == "end" and token.tag == "iframe":
                attrs = iframe.attrs
                kept = start_tag("iframe", {**attrs, **IFRAME_ATTRIBUTES}) + "</iframe>"
                edits.append((iframe.start, token.end, kept if "src" in attrs else ""))
                iframe = None
        elif token.kind == "start" and token.tag == "iframe":
            iframe = token
        elif token.kind == "start" and token.attrs.get("class") == "":
            attrs = {name: value for name, value in token.attrs.items() if name != "class"}
            edits.append((token.start, token.end, start_tag(token.tag, attrs)))
    return edits
