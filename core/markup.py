"""The one HTML parser for stored rich text: Python's html.parser, as tokens
that remember where they stand in the source.

Stored HTML has been cleaned by nh3 (articles.sanitize), so it is well formed:
every element closed, attributes written name="value". Code that changes a
piece of it (a heading's id, an image, an affiliate link) replaces that
token's span and copies everything else through untouched, so what it did not
mean to change stays byte for byte as the sanitiser wrote it.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose end (or, for br, whose presence) separates words in text.
BLOCK_ENDS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "ul", "ol", "figcaption"}
)


# In this order: "&" first, as the others put one in.
_ATTRIBUTE_ESCAPES = [
    ("&", "&amp;"),
    ("\xa0", "&nbsp;"),
    ('"', "&quot;"),
    ("<", "&lt;"),
    (">", "&gt;"),
]


@dataclass(frozen=True)
class Token:
    """One start tag, end tag or run of text, and its span in the source.

    `kind` is "start", "end", "text" or "other" (comments, declarations).
    `attrs` holds a start tag's attributes, unescaped, in source order; `text`
    a run of text, unescaped.
    """

    kind: str
    start: int
    end: int
    tag: str = ""
    attrs: dict = field(default_factory=dict)
    text: str = ""


class _Tokenizer(HTMLParser):
    # Elements whose content HTML reads as raw text, as the sanitiser and
    # browsers do: an iframe's "<script>" is text, not a tag (html.parser
    # itself knows only script and style).
    CDATA_CONTENT_ELEMENTS = ("script", "style", "iframe", "noembed", "noframes", "xmp")

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        # html.parser reports (line, column); these turn that into an offset.
        self.line_starts = [0]
        newline = markup.find("\n")
        while newline != -1:
            self.line_starts.append(newline + 1)
            newline = markup.find("\n", newline + 1)
        self.found = []

    def _here(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _add(self, kind, end=None, **values):
        self.found.append((kind, self._here(), end, values))

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        end = self._here() + len(self.get_starttag_text())
        self._add("start", end=end, tag=tag, attrs=attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._add("end", tag=tag)

    def handle_data(self, data):
        self._add("text", text=data)

    def handle_comment(self, data):
        self._add("other")

    def handle_decl(self, decl):
        self._add("other")

    def handle_pi(self, data):
        self._add("other")

    def unknown_decl(self, data):
        self._add("other")


def parse(markup):
    """The tokens of `markup`, in order. A start tag's span is exactly the
    tag; any other token's runs to where the next one begins."""
    markup = markup or ""
    tokenizer = _Tokenizer(markup)
    tokenizer.feed(markup)
    tokenizer.close()
    found = tokenizer.found
    tokens = []
    for index, (kind, start, end, values) in enumerate(found):
        if end is None:
            end = found[index + 1][1] if index + 1 < len(found) else len(markup)
        tokens.append(Token(kind, start, end, **values))
    return tokens


def escape_attribute(value):
    """An attribute value escaped as the sanitiser (nh3) writes it."""
    for character, reference in _ATTRIBUTE_ESCAPES:
        value = value.replace(character, reference)
    return value


def start_tag(tag, attrs):
    """A start tag written as the sanitiser writes one."""
    written = "".join(f' {name}="{escape_attribute(value)}"' for name, value in attrs.items())
    return f"<{tag}{written}>"


def text_of(tokens):
    """The visible text of `tokens`, with blocks kept apart by a space."""
    parts = []
    for token in tokens:
        if token.kind == "text":
            parts.append(token.text)
        elif (token.kind == "end" and token.tag in BLOCK_ENDS) or (
            token.kind == "start" and token.tag == "br"
        ):
            parts.append(" ")
    return " ".join("".join(parts).split())


def html_to_text(markup):
    """Visible text of an HTML fragment, with blocks kept apart by a space."""
    return text_of(parse(markup))


def anchors_of(tokens):
    """(start tag token, offset just after its </a>) for every anchor, in order.

    Sanitised anchors never nest; one left open runs to the end."""
    anchors, open_tag = [], None
    for token in tokens:
        if token.kind == "start" and token.tag == "a":
            if open_tag is not None:
                anchors.append((open_tag, token.start))
            open_tag = token
        elif token.kind == "end" and token.tag == "a" and open_tag is not None:
            anchors.append((open_tag, token.end))
            open_tag = None
    if open_tag is not None:
        anchors.append((open_tag, tokens[-1].end))
    return anchors


def splice(markup, edits):
    """`markup` with each (start, end, replacement) of `edits` applied; the
    spans are whole tokens and do not overlap."""
    pieces, at = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: edit[:2]):
        pieces += [markup[at:start], replacement]
        at = end
    pieces.append(markup[at:])
    return "".join(pieces)


def moved(offset, edits):
    """Where `offset` of the source lands once `edits` are spliced in: text
    inserted at the offset itself comes before it."""
    return offset + sum(
        len(replacement) - (end - start) for start, end, replacement in edits if end <= offset
    )
