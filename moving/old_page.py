"""What the import reads from one published page of the old site.

The facts it relies on are those of /work/shared/SBI-PAGES.md: the page's own
content sits in div#ContentColumn > div.Liner, after the one h1 and before
"Back to top of …" / "Return to …" and the comment area; the platform marks
its reusable regions with paired comments (`start: shared_blocks.N#place` …
`end: …`, `tool_blocks.name`); the navigation is div.Navigation, links
grouped under h3 "nav headers"; the Recent Articles widget is div.WhatsNew,
each item with the exact publication time in an abbr's title.
"""

import re
from dataclasses import dataclass, field

from moving.html_tree import Node, build, element

MARK = re.compile(r"^(start|end):\s*((shared_blocks)\.(\d+)#([\w-]+)|(tool_blocks)\.([\w-]+))")
# Slots of shared blocks that hold site furniture whatever they contain.
FURNITURE_PLACES = frozenset(
    {
        "end-of-head",
        "above-h1",
        "below-h1",
        "above-socialize-it",
        "socialize-it",
        "below-socialize-it",
        "top-of-nav-column",
        "navigation",
        "bottom-of-nav-column",
        "top-extra-default",
        "bottom-extra-default",
        "bottom-of-page",
        "footer",
    }
)
ALL_BLOCKS = None  # pass as `furniture` to drop every shared block
COMMENT_AREAS = ("disqus_thread", "fb-comments", "fb_comments", "comments")


@dataclass
class OldPage:
    path: str
    title: str = ""
    head_title: str = ""
    description: str = ""
    canonical: str = ""
    og_image: str = ""
    feeds: list = field(default_factory=list)
    # [(heading, heading's own link or "", [link, …])] in navigation order.
    nav: list = field(default_factory=list)
    # [(link, exact time as written, excerpt)] of the Recent Articles widget.
    recent: list = field(default_factory=list)
    return_to: str = ""
    return_title: str = ""
    shared_blocks: set = field(default_factory=set)
    content: Node | None = None


def decode(data):
    """The text of a page's bytes, or None when they are not an HTML page."""
    if b"\x00" in data[:4096]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    head = text[:20000].lower()
    if not any(tag in head for tag in ("<html", "<body", "<h1", "<div", "<p", "<!doctype html")):
        return None
    return text


def read_page(markup, path, *, furniture=ALL_BLOCKS):
    """The OldPage of `markup`. `furniture` is the set of shared-block ids
    (e.g. "shared_blocks.12#below-h1") that repeat on several pages; blocks
    in a furniture slot always go, and with ALL_BLOCKS every shared block does.
    With a set of furniture (the second reading) only the content is read."""
    page = OldPage(path=path)
    if furniture is ALL_BLOCKS:
        root = build(markup)
        _read_head(root, page)
        _read_navigation(root, page)
        _read_recent(root, page)
    else:
        # The second reading wants the content alone: the rest is not parsed again.
        root = build(content_column(markup))
    column = root.find(lambda n: n.attrs.get("id") == "ContentColumn") or root
    liner = column.find(lambda n: n.tag == "div" and n.has_class("Liner")) or column
    _drop_marked_regions(liner, page, furniture)
    h1 = liner.find(lambda n: n.tag == "h1")
    if h1 is None:
        return page
    page.title = h1.text_content()
    page.content = _content_after(h1, liner)
    _cut_at_end_of_content(page)
    return page


def content_column(markup):
    """The part of `markup` from div#ContentColumn to its end comment, or all of it."""
    at = markup.find('id="ContentColumn"')
    end = markup.find("<!-- end ContentColumn -->", at)
    if at == -1 or end == -1:
        return markup
    return markup[markup.rfind("<", 0, at) : end]


def _read_head(root, page):
    for node in root.iter():
        if not node.is_element:
            continue
        attrs = node.attrs
        if node.tag == "title" and not page.head_title:
            page.head_title = node.text_content()
        elif node.tag == "meta":
            name = (attrs.get("name") or attrs.get("property") or "").lower()
            content = " ".join(attrs.get("content", "").split())
            if name == "description" and not page.description:
                page.description = content
            elif name == "og:image" and not page.og_image:
                page.og_image = content
        elif node.tag == "link":
            rel = attrs.get("rel", "").lower().split()
            if "canonical" in rel and not page.canonical:
                page.canonical = attrs.get("href", "")
            elif "alternate" in rel and "rss" in attrs.get("type", "").lower():
                page.feeds.append(attrs.get("href", ""))


def _read_navigation(root, page):
    navigation = root.find(lambda n: n.tag == "div" and n.has_class("Navigation"))
    if navigation is None:
        return
    groups, in_heading = [], set()
    for node in navigation.iter():
        if node.tag in ("h3", "h2", "h4"):
            link = node.find(lambda n: n.tag == "a")
            groups.append((node.text_content(), link.attrs.get("href", "") if link else "", []))
            in_heading.update(id(n) for n in node.iter())
        elif node.tag == "a" and id(node) not in in_heading and node.attrs.get("href"):
            if not groups:
                groups.append(("", "", []))
            groups[-1][2].append(node.attrs["href"])
    page.nav = groups


def _read_recent(root, page):
    widget = root.find(lambda n: n.tag == "div" and n.has_class("WhatsNew"))
    if widget is None:
        return
    for item in widget.elements("li"):
        heading = item.find(lambda n: n.tag in ("h3", "h2", "h4"))
        link = heading.find(lambda n: n.tag == "a") if heading else None
        if link is None or not link.attrs.get("href"):
            continue
        abbr = item.find(lambda n: n.tag == "abbr" and n.attrs.get("title"))
        excerpt = item.find(lambda n: n.tag == "p" and n.has_class("WhatsNew-content"))
        page.recent.append(
            (
                link.attrs["href"],
                abbr.attrs["title"].strip() if abbr else "",
                excerpt.text_content() if excerpt else "",
            )
        )


def _drop_marked_regions(container, page, furniture):
    """Remove tool blocks (widgets) and furniture shared blocks from
    `container`, each from its start comment to the end comment among the
    same siblings; the ids of the shared blocks seen go into page.shared_blocks."""
    for node in list(container.iter()):
        if not node.children:
            continue
        index = 0
        while index < len(node.children):
            child = node.children[index]
            match = MARK.match(child.text) if child.tag == "!" else None
            if not match or match[1] != "start":
                index += 1
                continue
            name = match[2]
            if match[3]:
                page.shared_blocks.add(name)
                drop = furniture is ALL_BLOCKS or match[5] in FURNITURE_PLACES or name in furniture
            else:
                drop = True
            end = next(
                (
                    at
                    for at in range(index + 1, len(node.children))
                    if node.children[at].tag == "!"
                    and (m := MARK.match(node.children[at].text))
                    and m[1] == "end"
                    and m[2] == name
                ),
                None,
            )
            if drop and end is not None:
                for gone in node.children[index : end + 1]:
                    gone.parent = None
                del node.children[index : end + 1]
            else:
                index += 1


def _content_after(h1, liner):
    """A new root holding everything after `h1` inside `liner`, in order."""
    taken, node = [], h1
    while node is not liner and node.parent is not None:
        parent = node.parent
        at = parent.children.index(node)
        taken.extend(parent.children[at + 1 :])
        del parent.children[at + 1 :]
        node = parent
    return element("#root", children=taken)


def _starts(node, words):
    return node.text_content().lower().startswith(words)


def _cut_at_end_of_content(page):
    """Find the "Return to …" link, then cut the content at the first sign of
    its end: "Back to top", "Return to", the comment area or the Liner's end."""
    root = page.content
    for node in root.iter():
        if node.tag == "a" and _starts(node, "return to") and node.attrs.get("href"):
            page.return_to = node.attrs["href"]
            page.return_title = node.text_content()[len("return to") :].strip()
            break
    for node in root.iter():
        if _is_end(node):
            _truncate_at(node)
            return


def _is_end(node):
    if node.tag == "!":
        return node.text.lower().startswith(("end liner", "end contentcolumn"))
    if not node.is_element:
        return False
    if node.attrs.get("id") in COMMENT_AREAS or any(c in COMMENT_AREAS for c in node.classes):
        return True
    if node.tag in ("a", "p", "div", "span", "h4", "h3") and (
        _starts(node, "back to top") or _starts(node, "return to")
    ):
        # The smallest element starting so: a whole wrapper can start with it too.
        return not any(
            child.is_element and (_starts(child, "back to top") or _starts(child, "return to"))
            for child in node.children
        )
    return False


def _truncate_at(node):
    """Remove `node` and everything after it in document order."""
    parent = node.parent
    del parent.children[parent.children.index(node) :]
    while parent.parent is not None:
        above = parent.parent
        del above.children[above.children.index(parent) + 1 :]
        parent = above
