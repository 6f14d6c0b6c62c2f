"""Reading a served page as a browser would, to find anything that could run.

Python's html.parser tokenises the page the way the HTML standard does for
tags and attributes and decodes character references in attribute values,
as browsers do; a small tree is built from it so a test can also read the
text of one element (a comment, the search box).
"""

import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "background",
    "data",
    "ping",
    "cite",
    "codebase",
    "lowsrc",
    "dynsrc",
    "manifest",
}
# Elements no public page of ours contains, so any of them came from input.
FOREIGN_TAGS = {
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "math",
    "object",
    "portal",
    "style",
    "svg",
}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
MARKER = "pwned"
# Browsers drop tabs and newlines anywhere in a URL and C0 controls and
# spaces around it; dropping every control and space is stricter still.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\ufeff]+")


@dataclass
class Element:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parent: "Element | None" = None
    # Every attribute as written, repeats included (`attrs` keeps the first,
    # as browsers do).
    attr_list: list = field(default_factory=list)

    def text(self):
        """The element's text as a reader sees it: line breaks and paragraphs become spaces."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                if child.tag in {"br", "p", "li", "div"}:
                    parts.append(" ")
                parts.append(child.text())
        return "".join(parts)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root
        self.script_texts = []

    def handle_starttag(self, tag, attrs):
        first_wins = dict(reversed(attrs))
        element = Element(tag, first_wins, parent=self.current, attr_list=list(attrs))
        self.current.children.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup):
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def is_script_url(value):
    """True when a URL attribute's value (already entity-decoded) would run script."""
    for candidate in (value, unquote(value)):
        squeezed = _IGNORED_IN_URLS.sub("", candidate).lower()
        tokens = [
            squeezed,
            *(_IGNORED_IN_URLS.sub("", t).lower() for t in re.split(r"[\s,]+", candidate)),
        ]
        if any(token.startswith(SCRIPT_SCHEMES) for token in tokens):
            return True
    return False


def _script_problem(element, static_url):
    src = element.attrs.get("src")
    if src is not None:
        parts = urlsplit(src)
        path = posixpath.normpath(unquote(parts.path))
        if parts.scheme or parts.netloc or not path.startswith(static_url):
            return f"<script src={src!r}> is not one of our static files"
        return ""
    if (element.attrs.get("type") or "").lower() != "application/ld+json":
        return "an inline <script> that is not the JSON-LD block"
    try:
        json.loads(element.text())
    except ValueError:
        return "the JSON-LD block is not valid JSON: something broke into it"
    return ""


def unsafe_constructs(markup, *, static_url="/static/", allowed_iframe_hosts=(), markers=True):
    """Everything in `markup` that could run script or came in as markup, as sentences.

    An empty list means the page is safe. `allowed_iframe_hosts` lets
    sanitised rich text keep the sandboxed video players it allows; with
    `markers` an element carrying the payloads' marker counts as injected
    (off for the sanitiser, which may keep a harmless id an editor typed).
    """
    problems = []
    for element in parse(markup).iter():
        tag, attrs = element.tag, element.attrs
        if tag == "#document":
            continue
        if tag == "script":
            problem = _script_problem(element, static_url)
            if problem:
                problems.append(problem)
        if tag == "iframe" and _is_allowed_iframe(attrs, allowed_iframe_hosts):
            pass
        elif tag in FOREIGN_TAGS:
            problems.append(f"a <{tag}> element")
        if tag == "meta" and "http-equiv" in attrs:
            problems.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        for name, value in element.attr_list:
            value = value or ""
            if name.startswith("on"):
                problems.append(f"an event handler {name}= on <{tag}>")
            if markers and (MARKER in name or (name in {"id", "class"} and MARKER in value)):
                problems.append(f"an injected <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and is_script_url(value):
                problems.append(f"<{tag} {name}={value!r}> runs script")
            if name == "srcdoc":
                problems.append(f"<{tag} srcdoc=…>")
    return problems


def _is_allowed_iframe(attrs, hosts):
    src = attrs.get("src") or ""
    parts = urlsplit(src)
    return (
        bool(hosts) and parts.scheme == "https" and parts.hostname in hosts and "sandbox" in attrs
    )


def find(root, **attrs):
    """The first element whose attributes include `attrs` (e.g. id="comment-3")."""
    for element in root.iter():
        if all(element.attrs.get(name) == value for name, value in attrs.items()):
            return element
    return None


def find_all(root, tag, css_class=None):
    return [
        element
        for element in root.iter()
        if element.tag == tag
        and (css_class is None or css_class in (element.attrs.get("class") or "").split())
    ]


def squash(text):
    """Runs of whitespace as one space: how HTML shows text outside <pre>."""
    return " ".join(text.split())
