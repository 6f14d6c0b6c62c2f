"""Citations in an article body: the editor types [ref 2], the page shows a
numbered link to reference 2 of the References list, with an id that the
list's back-link returns to.

The marker is plain text, so it survives CKEditor, pasting and the sanitiser
unchanged, and the stored body keeps exactly what the editor typed; the link
is made when the body is rendered on save (articles.rendering), from the
tokens of the one parser of stored HTML (core.markup).
"""

import re

# "[ref 2]", "[Ref 12]", "[ref&nbsp;2]" (CKEditor writes a typed non-breaking space so).
MARKER = re.compile(r"\[ref(?:\s|&nbsp;|&#160;|\xa0)*(\d{1,3})\]", re.IGNORECASE)


def citation_id(number, occurrence):
    """The id of the `occurrence`-th citation (from 1) of reference `number`."""
    return f"cite-{number}-{occurrence}"


def citation_html(number, occurrence):
    return (
        f'<sup class="citation" id="{citation_id(number, occurrence)}">'
        f'<a href="#ref-{number}">[{number}]</a></sup>'
    )


def citation_edits(tokens, source):
    """([(start, end, citation link)], [[number, id]] in order of appearance)
    for every [ref N] marker in the text of `tokens` (parsed from `source`).

    Markers inside a link are left as text: a link cannot hold another."""
    edits, found, seen, in_link = [], [], {}, False
    for token in tokens:
        if token.tag == "a" and token.kind in ("start", "end"):
            in_link = token.kind == "start"
        if token.kind != "text" or in_link:
            continue
        raw = source[token.start : token.end]
        for match in MARKER.finditer(raw):
            number = int(match[1])
            if number == 0:
                continue
            seen[number] = seen.get(number, 0) + 1
            edits.append(
                (
                    token.start + match.start(),
                    token.start + match.end(),
                    citation_html(number, seen[number]),
                )
            )
            found.append([number, citation_id(number, seen[number])])
    return edits, found


_MARKER_WITH_SPACE = re.compile(r"\s*" + MARKER.pattern, re.IGNORECASE)


def without_markers(text):
    """Plain text with the markers taken out (for search and excerpts)."""
    return " ".join(_MARKER_WITH_SPACE.sub("", text).split())


def references_of(article):
    """The article's references in number order, read once per page for the
    References list and the structured data alike.

    An article read by the page's own query knows whether it has any
    (ArticleQuerySet.with_reference_flag), so one without costs no query."""
    if not getattr(article, "has_references", True):
        return []
    if getattr(article, "_reference_list", None) is None:
        article._reference_list = list(article.references.order_by("number"))
    return article._reference_list


def reference_entries(article):
    """[(reference, [ids of its citations in the body])] for the References list."""
    backlinks = {}
    for number, anchor in article.citations or ():
        backlinks.setdefault(number, []).append(anchor)
    return [
        (reference, backlinks.get(reference.number, [])) for reference in references_of(article)
    ]


def uncited_numbers(article):
    """Numbers cited in the body that no reference of the article has."""
    known = {reference.number for reference in references_of(article)}
    return sorted({number for number, _ in article.citations or ()} - known)
