"""Section headings in stored HTML: linkable ids and the table of contents.

Works on the tokens of core.markup (the one parser of stored HTML). Every
`<h2>` and `<h3>` gets an id made from its text, unique within the page and
never one of the ids the page frame itself uses.
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify

from core.markup import parse, splice, start_tag, text_of

# Ids used by base.html, article_detail.html and their includes.
FRAME_IDS = frozenset(
    {
        "top",
        "content",
        "comments",
        "comments-heading",
        "comment-form",
        "comment-form-heading",
        "recent-articles-heading",
        "table-of-contents",
        "hub-articles-heading",
        "site-search-q",
        "search-heading",
        "search-q",
        "search-error",
        "references-heading",
        "helpful-heading",
        "helpful-comment",
    }
)
MAX_ID_LENGTH = 60
# Comment permalinks on the same page are "comment-<number>"; references
# "ref-<number>" and their citations "cite-<number>-<occurrence>".
_COMMENT_ANCHOR = re.compile(r"(comment-\d+|ref-\d+|cite-\d+-\d+)$")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


class HeadingIds:
    """Ids for one page's headings, in order: each repeats its heading's
    words ("what-causes-runners-knee"), a repeated heading gets "-2", "-3"…,
    and a heading with no usable text "section"."""

    def __init__(self):
        self.taken = set(FRAME_IDS)

    def make(self, text):
        base = slugify(text)[:MAX_ID_LENGTH].strip("-") or "section"
        candidate, number = base, 1
        while candidate in self.taken or _COMMENT_ANCHOR.match(candidate):
            number += 1
            candidate = f"{base}-{number}"
        self.taken.add(candidate)
        return candidate


def headings_of(tokens):
    """(start tag token, level, text) of every h2 and h3 among `tokens`, in order."""
    found = []
    for index, token in enumerate(tokens):
        if token.kind == "start" and token.tag in ("h2", "h3"):
            inner = []
            for following in tokens[index + 1 :]:
                if following.kind == "end" and following.tag == token.tag:
                    break
                inner.append(following)
            found.append((token, int(token.tag[1]), text_of(inner)))
    return found


def heading_edits(tokens):
    """([(start, end, new start tag)], [Heading]): each h2 and h3 given its id.

    An id the editor typed is replaced, so the id always follows the text."""
    ids, edits, entries = HeadingIds(), [], []
    for token, level, text in headings_of(tokens):
        candidate = ids.make(text)
        attrs = {"id": candidate, **{k: v for k, v in token.attrs.items() if k != "id"}}
        edits.append((token.start, token.end, start_tag(token.tag, attrs)))
        entries.append(Heading(level, candidate, text))
    return edits, entries


def assign_heading_ids(markup):
    """`markup` with every h2 and h3 given its id (see heading_edits)."""
    markup = markup or ""
    edits, _ = heading_edits(parse(markup))
    return splice(markup, edits)


def table_of_contents(markup):
    """The h2 and h3 headings of `markup`, in order, as Heading entries."""
    return [
        Heading(level, token.attrs["id"], text)
        for token, level, text in headings_of(parse(markup))
        if "id" in token.attrs
    ]
