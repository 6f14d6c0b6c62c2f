"""An article body, parsed once when the article is saved, and everything its
pages need from it.

`render_body` cleans the body (articles.sanitize), reads it with the one
parser of stored HTML (core.markup) and, from that one list of tokens,
derives: the stored body with heading ids, the HTML pages show (images with
their sizes and resized copies, [ref N] markers as citation links, links to
renamed pages on their new address), the plain text, the table of contents,
every link with where it sits in that HTML, the citations, and where the
intro ends and the banner after it goes. Article.fill_derived_fields stores them; no page view parses
the body again.
"""

from dataclasses import dataclass

from articles.body_images import image_edits
from articles.citations import citation_edits, without_markers
from articles.headings import heading_edits, headings_of
from articles.sanitize import sanitize_html
from core.markup import anchors_of, moved, parse, splice, start_tag, text_of


@dataclass(frozen=True)
class RenderedBody:
    body: str
    html: str
    text: str
    # [[level, id, text]] of each h2 and h3, in order.
    headings: list
    # [[href, start, end of start tag, end after </a>]] of each link, in `html`.
    links: list
    # Offsets in `html`: the first h2 (the end of the intro), and the place
    # for the banner after the intro (after a NOTE call-out in the intro).
    intro_end: int
    banner_at: int
    # [[reference number, id of the citation]] of each [ref N], in order.
    citations: list = ()
    # The src of each image, as written.
    images: list = ()


def render_body(markup, *, moved_links=None):
    """Everything pages, search and listings read from the body `markup`.

    `moved_links` maps an address as written in the body to where that page
    is now (articles.links: a renamed article); the page shows the new one,
    the stored body keeps what the editor wrote."""
    clean = sanitize_html(markup)
    tokens = parse(clean)
    headings, entries = heading_edits(tokens)
    cited, citations = citation_edits(tokens, clean)
    edits = sorted(
        headings + image_edits(tokens) + cited + _moved_link_edits(tokens, moved_links or {})
    )
    links, intro_end, banner_at = _layout(tokens, len(clean))
    return RenderedBody(
        body=splice(clean, headings),
        html=splice(clean, edits),
        text=without_markers(text_of(tokens)),
        citations=citations,
        images=images_of(tokens),
        headings=[[entry.level, entry.id, entry.text] for entry in entries],
        links=[[href, *(moved(offset, edits) for offset in span)] for href, *span in links],
        intro_end=moved(intro_end, edits),
        banner_at=moved(banner_at, edits),
    )


def images_of(tokens):
    """The src of every img among `tokens`, in order, once each."""
    srcs = [t.attrs.get("src", "") for t in tokens if t.kind == "start" and t.tag == "img"]
    return list(dict.fromkeys(src for src in srcs if src))


def _moved_link_edits(tokens, moved_links):
    """Each link whose address is in `moved_links` pointed at the new address."""
    edits = []
    for tag, _end in anchors_of(tokens):
        new = moved_links.get(tag.attrs.get("href", ""))
        if new:
            edits.append((tag.start, tag.end, start_tag("a", {**tag.attrs, "href": new})))
    return edits


def layout_of_html(shown):
    """(headings, links, intro_end, banner_at) of HTML that render_body made
    (a stored body_html): for rows stored before these were kept."""
    tokens = parse(shown)
    headings = [
        [level, token.attrs["id"], text]
        for token, level, text in headings_of(tokens)
        if "id" in token.attrs
    ]
    return headings, *_layout(tokens, len(shown))


def _layout(tokens, length):
    """([[href, start, end of start tag, end]] of each link, where the intro
    ends, where the banner after it goes), as offsets into the tokens' source."""
    links = [
        [tag.attrs.get("href", ""), tag.start, tag.end, end] for tag, end in anchors_of(tokens)
    ]
    intro_end, note_end = _intro_and_note(tokens, length)
    return links, intro_end, note_end if note_end is not None else intro_end


def _intro_and_note(tokens, length):
    """(offset of the first h2 or `length`, offset after the intro's first
    NOTE paragraph or None): the one rule for "the intro" that the table of
    contents, the banner after the intro and eager image loading follow."""
    note_end, in_note = None, False
    for token in tokens:
        if token.kind == "start" and token.tag == "h2":
            return token.start, note_end
        if note_end is None:
            if token.kind == "start" and token.tag == "p":
                in_note = "note" in token.attrs.get("class", "").split()
            elif in_note and token.kind == "end" and token.tag == "p":
                note_end = token.end
    return length, note_end
