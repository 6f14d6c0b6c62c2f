"""An old page's content as the clean HTML an article body holds.

Works on the tree of moving.old_page (the content between the h1 and the
end of the article) and writes HTML that articles.sanitize keeps as it is:
site furniture, ads, scripts, forms and inline styles go; layout tables and
multi-column blocks give up their cells in reading order; an ImageBlock
becomes a figure with its caption; a CalloutBox becomes our NOTE call-out
(paragraphs styled "note"); stray line breaks and empty paragraphs go.

Images and links are handed to `context` (the import), which knows the
mirror and the new addresses:
- context.image(attrs) -> (src, alt) or None to leave the image out;
- context.link(href, text) -> the new href, or None to keep only the link's text;
- context.banner(href, image_attrs) -> True when it took an image link to a
  merchant as the article's banner (the block is then left out of the body),
  the address to link the image to instead, or None when it is no banner.
"""

import re

from moving.html_tree import element, serialize, text_node

DROPPED = frozenset(
    {
        "script", "style", "noscript", "form", "input", "button", "select", "textarea",
        "object", "embed", "ins", "svg", "link", "meta", "iframe", "frame", "frameset", "map",
        "canvas", "audio", "video", "template", "head", "title",
    }
)  # fmt: skip
DROPPED_CLASS_PREFIXES = (
    "ezoic-",
    "adsbygoogle",
    "gcse-",
    "fb-",
    "socializeit",
    "WhatsNew",
    "Navigation",
    "rssit",
)
INLINE = frozenset(
    {"a", "b", "strong", "i", "em", "br", "img", "code", "sup", "sub", "small", "u", "s"}
)
KEPT_ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt", "width", "height"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan", "scope"),
}
TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})
BLOCKS_IN_CELLS = frozenset(
    {"p", "div", "img", "table", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "figure"}
)
# Rename to the elements the body keeps.
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "b": "strong", "i": "em"}
YOUTUBE_EMBED = re.compile(r"^(?:https?:)?//(?:www\.)?youtube\.com/embed/([\w-]+)")


def clean_body(root, *, context):
    """The article body HTML for the content tree `root`."""
    nodes = _clean_children(root, context)
    return serialize(_paragraphs(nodes)).strip()


def _is_dropped(node):
    if node.tag in DROPPED:
        return True
    names = [*node.classes, node.attrs.get("id", "")]
    if any(name.startswith(DROPPED_CLASS_PREFIXES) for name in names if name):
        return True
    text = node.text_content().lower()
    return node.tag in ("p", "div") and text.startswith("ftc disclosure")


def _clean_children(node, context):
    out = []
    for child in node.children:
        out.extend(_clean(child, context))
    return out


def _clean(node, context):
    """The clean nodes standing for `node` (none, itself, or its children)."""
    if node.tag == "":
        return [text_node(node.text)]
    if node.tag == "!":
        return []
    if node.tag == "iframe":
        return _video(node)
    if _is_dropped(node):
        return []
    if node.tag == "div" and node.has_class("ImageBlock"):
        return _image_block(node, context)
    if node.tag == "div" and node.has_class("CalloutBox"):
        return _callout(node, context)
    if node.tag == "table" and _is_layout_table(node):
        return _cells_in_order(node, context)
    if node.tag == "img":
        return _image(node.attrs, context)
    if node.tag == "a":
        return _link(node, context)
    children = _clean_children(node, context)
    tag = RENAMED.get(node.tag, node.tag)
    if tag in ("h2", "h3", "h4"):
        return _heading(tag, children)
    if tag == "p":
        return _paragraph(children)
    if tag in ("ul", "ol", "li", "blockquote", "strong", "em", "br", "figure", "figcaption"):
        return [element(tag, _kept(node), children)]
    if tag in TABLE_PARTS:
        return [element(tag, _kept(node), children)]
    # div, span, font, center, section, the grid's rows and columns…: their content stays.
    return children


def _kept(node):
    return {
        name: node.attrs[name] for name in KEPT_ATTRIBUTES.get(node.tag, ()) if name in node.attrs
    }


def _has_content(nodes):
    for node in nodes:
        for inner in node.iter():
            if inner.tag == "img" or (inner.tag == "" and inner.text.strip("\xa0 \t\r\n")):
                return True
    return False


def _trim_breaks(children):
    while children and (children[0].tag == "br" or _blank(children[0])):
        children = children[1:]
    while children and (children[-1].tag == "br" or _blank(children[-1])):
        children = children[:-1]
    return children


def _blank(node):
    return node.tag == "" and not node.text.strip("\xa0 \t\r\n")


def _heading(tag, children):
    children = [text_node(" ") if child.tag == "br" else child for child in children]
    if not _has_content(children):
        return []
    return [element(tag, children=children)]


def _paragraph(children, attrs=None):
    blocks = [c for c in children if c.is_element and c.tag not in INLINE]
    if blocks:
        # A paragraph that held blocks (a list, a figure): keep them as siblings.
        return _paragraphs(children, attrs)
    children = _trim_breaks(children)
    if not _has_content(children):
        return []
    return [element("p", attrs, children)]


def _paragraphs(nodes, attrs=None):
    """`nodes` with each run of loose text and inline elements in a paragraph."""
    out, run = [], []

    def flush():
        nonlocal run
        if run:
            out.extend(_paragraph(run, attrs))
            run = []

    for node in nodes:
        if node.tag == "" or node.tag in INLINE:
            run.append(node)
        else:
            flush()
            out.append(node)
    flush()
    return out


def _callout(node, context):
    """A CalloutBox: each of its paragraphs (or its loose text) a NOTE paragraph."""
    out = []
    for child in _paragraphs(_clean_children(node, context), {"class": "note"}):
        if child.tag == "p":
            child.attrs["class"] = "note"
        out.append(child)
    return out


def _video(node):
    match = YOUTUBE_EMBED.match(node.attrs.get("src", ""))
    if not match:
        return []
    attrs = {
        "src": f"https://www.youtube-nocookie.com/embed/{match[1]}",
        "title": node.attrs.get("title", "Video"),
        "allowfullscreen": "",
    }
    for name in ("width", "height"):
        if node.attrs.get(name, "").isdigit():
            attrs[name] = node.attrs[name]
    return [element("iframe", attrs)]


def _image(attrs, context):
    found = context.image(attrs)
    if found is None:
        return []
    src, alt = found
    kept = {"src": src, "alt": alt}
    for name in ("width", "height"):
        if attrs.get(name, "").isdigit():
            kept[name] = attrs[name]
    return [element("img", kept)]


def _link(node, context):
    children = _clean_children(node, context)
    href = context.link(node.attrs.get("href", ""), node.text_content())
    if href is None or not _has_content(children):
        return children
    attrs = {"href": href}
    if node.attrs.get("title"):
        attrs["title"] = node.attrs["title"]
    return [element("a", attrs, children)]


def _image_block(node, context):
    """An ImageBlock: a figure of the image (in its link, if any) and its caption."""
    image = node.find(lambda n: n.tag == "img")
    if image is None:
        return _clean_children(node, context)
    link = image.parent if image.parent is not None and image.parent.tag == "a" else None
    href = link.attrs.get("href", "") if link is not None else ""
    taken = context.banner(href, image.attrs) if href else None
    if taken is True:
        return []
    caption = node.find(lambda n: n.has_class("Caption"))
    picture = _image(image.attrs, context)
    if not picture:
        return []
    # The link is looked at only once its picture is there: a merchant link
    # around a missing picture registers nothing.
    new_href = (taken or context.link(href, image.attrs.get("alt", ""))) if href else None
    if new_href is not None:
        picture = [element("a", {"href": new_href}, picture)]
    children = list(picture)
    if caption is not None:
        words = _clean_children(caption, context)
        if _has_content(words):
            children.append(element("figcaption", children=_trim_breaks(words)))
    return [element("figure", children=children)]


def _is_layout_table(table):
    """A table that lays out a page rather than holding data: one without
    header cells whose cells hold blocks, or with a single row or column."""
    rows = [row for row in table.elements("tr") if _owner_table(row) is table]
    cells = [cell for row in rows for cell in row.children if cell.tag in ("td", "th")]
    if any(cell.tag == "th" for cell in cells):
        return False
    widest = max((sum(c.tag in ("td", "th") for c in row.children) for row in rows), default=0)
    if len(rows) < 2 or widest < 2:
        return True
    return any(
        inner.tag in BLOCKS_IN_CELLS for cell in cells for inner in cell.iter() if inner is not cell
    )


def _owner_table(node):
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _cells_in_order(table, context):
    """A layout table's cells, one after another, as the page reads them."""
    out = []
    for row in table.elements("tr"):
        if _owner_table(row) is not table:
            continue
        for cell in row.children:
            if cell.tag in ("td", "th"):
                out.extend(_paragraphs(_clean_children(cell, context)))
    return out
