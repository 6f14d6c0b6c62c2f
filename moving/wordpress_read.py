"""Reading a WordPress export (WXR) as a stream.

A WXR file is an RSS 2.0 document whose <channel> carries, in WordPress's
own namespace (http://wordpress.org/export/1.2/ for WXR 1.2, .../1.1/ for
1.1, .../1.0/ for 1.0), the export's version, the site's address, its
authors, categories and tags, then one <item> per post, page, attachment,
menu entry or revision, each with its comments.

The file is parsed with defusedxml (no entities, no external references),
with iterparse, one child of <channel> at a time, each freed once read, so
a large export is read in bounded memory. A file that is not a WXR export
(a Disqus export, a plain RSS feed, something else), is not well-formed or
declares entities raises NotAnExport with one line saying why.
"""

import html
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
_WP_NAMESPACE = re.compile(r"^\{http://wordpress\.org/export/(1\.[012])/\}")
VERSIONS = ("1.0", "1.1", "1.2")


class NotAnExport(ValueError):
    """The file cannot be read as a WordPress export; the message says why in one line."""


@dataclass
class Category:
    term_id: str
    slug: str  # WordPress's nicename, as exported (it may be percent-encoded)
    parent: str  # the parent's nicename, or ""
    name: str
    description: str


@dataclass
class Comment:
    comment_id: str
    author: str
    email: str
    url: str
    ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    kind: str
    parent: str


@dataclass
class Item:
    number: int  # its place among the export's items, from 1
    title: str
    link: str
    pub_date: str
    post_id: str
    post_date: str
    post_date_gmt: str
    post_name: str
    status: str
    post_type: str
    password: str
    comment_status: str
    content: str
    excerpt: str
    attachment_url: str
    categories: list  # nicenames of its categories (not tags), in file order
    meta: dict  # postmeta key → value
    comments: list = field(default_factory=list)

    @property
    def label(self):
        """How the report names the item: its type, id and title."""
        title = " ".join(self.title.split())[:70] or "(no title)"
        return f"{self.post_type or 'item'} {self.post_id or '#' + str(self.number)} “{title}”"


@dataclass
class Channel:
    version: str = ""
    namespace: str = ""
    site_url: str = ""
    blog_url: str = ""
    categories: dict = field(default_factory=dict)  # nicename → Category
    items: int = 0


def _channel_children(path):
    """(kind, element) for each child of <channel>: kind is "wp" for an
    element in WordPress's namespace, "item", or "" for the rest."""
    try:
        depth, root, channel = 0, None, None
        for event, element in iterparse(str(path), events=("start", "end")):
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    _check_root(path, element)
                elif depth == 2 and channel is None:
                    if element.tag != "channel":
                        raise NotAnExport(
                            f"{path.name} is not a WordPress export: <rss> holds "
                            f"<{_local(element.tag)}>, not <channel>."
                        )
                    channel = element
                continue
            depth -= 1
            if depth == 2 and channel is not None:
                yield element
                channel.clear()
    except DefusedXmlException as error:
        raise NotAnExport(
            f"{path.name} is refused: it declares entities or external references ({error})."
        ) from None
    except ParseError as error:
        raise NotAnExport(f"{path.name} is not well-formed XML: {error}.") from None


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _check_root(path, element):
    if element.tag == "rss":
        return
    if element.tag == "{http://disqus.com}disqus":
        raise NotAnExport(
            f"{path.name} is a Disqus export, not a WordPress export: import it with import_disqus."
        )
    raise NotAnExport(
        f"{path.name} is not a WordPress export: its root element is <{_local(element.tag)}>, "
        "not <rss>."
    )


def _text(element, tag):
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _raw(element, tag):
    """The text of a child as written (content is not stripped: its line
    breaks are paragraphs)."""
    child = element.find(tag)
    return child.text or "" if child is not None else ""


def read_export(path):
    """Yield the Channel once its header is read (before the first item), then
    each Item in file order. Raises NotAnExport for a file that is not a WXR
    export, however far in that shows."""
    channel = Channel()
    announced = False
    for element in _channel_children(path):
        match = _WP_NAMESPACE.match(element.tag)
        if match and not channel.namespace:
            channel.namespace = match[0]
        wp = channel.namespace
        name = _local(element.tag)
        if match and name == "wxr_version":
            channel.version = (element.text or "").strip()
            if channel.version not in VERSIONS:
                raise NotAnExport(
                    f"{path.name} is a WordPress export of WXR version {channel.version!r}, "
                    f"which this import does not know (it reads {', '.join(VERSIONS)})."
                )
        elif match and name == "base_site_url":
            channel.site_url = (element.text or "").strip()
        elif match and name == "base_blog_url":
            channel.blog_url = (element.text or "").strip()
        elif match and name == "category":
            category = Category(
                term_id=_text(element, f"{wp}term_id"),
                slug=_text(element, f"{wp}category_nicename"),
                parent=_text(element, f"{wp}category_parent"),
                name=_text(element, f"{wp}cat_name"),
                description=_text(element, f"{wp}category_description"),
            )
            if category.slug:
                channel.categories[category.slug] = category
        elif element.tag == "item":
            if not announced:
                _check_version(path, channel)
                announced = True
                yield channel
            channel.items += 1
            yield _item(element, wp, number=channel.items)
    if not announced:
        _check_version(path, channel)
        yield channel


def _check_version(path, channel):
    if not channel.version:
        raise NotAnExport(
            f"{path.name} is an RSS feed, not a WordPress export: it has no <wp:wxr_version> "
            "(export the site from WordPress's Tools → Export)."
        )


def _item(element, wp, *, number):
    meta = {}
    for entry in element.findall(f"{wp}postmeta"):
        key = _text(entry, f"{wp}meta_key")
        if key:
            meta[key] = _text(entry, f"{wp}meta_value")
    comments = [
        Comment(
            comment_id=_text(entry, f"{wp}comment_id"),
            author=_text(entry, f"{wp}comment_author"),
            email=_text(entry, f"{wp}comment_author_email"),
            url=_text(entry, f"{wp}comment_author_url"),
            ip=_text(entry, f"{wp}comment_author_IP"),
            date=_text(entry, f"{wp}comment_date"),
            date_gmt=_text(entry, f"{wp}comment_date_gmt"),
            content=_raw(entry, f"{wp}comment_content"),
            approved=_text(entry, f"{wp}comment_approved"),
            kind=_text(entry, f"{wp}comment_type"),
            parent=_text(entry, f"{wp}comment_parent"),
        )
        for entry in element.findall(f"{wp}comment")
    ]
    excerpt = next(
        (
            child.text or ""
            for child in element
            if child.tag.endswith("excerpt/}encoded") and child.text
        ),
        "",
    )
    return Item(
        number=number,
        # WordPress keeps typographic entities in titles ("Runner&#8217;s knee").
        title=html.unescape(_text(element, "title")),
        link=_text(element, "link"),
        pub_date=_text(element, "pubDate"),
        post_id=_text(element, f"{wp}post_id"),
        post_date=_text(element, f"{wp}post_date"),
        post_date_gmt=_text(element, f"{wp}post_date_gmt"),
        post_name=_text(element, f"{wp}post_name"),
        status=_text(element, f"{wp}status"),
        post_type=_text(element, f"{wp}post_type"),
        password=_text(element, f"{wp}post_password"),
        comment_status=_text(element, f"{wp}comment_status"),
        content=_raw(element, f"{CONTENT}encoded"),
        excerpt=excerpt.strip(),
        attachment_url=_text(element, f"{wp}attachment_url"),
        categories=[
            child.get("nicename") or ""
            for child in element.findall("category")
            if child.get("domain") == "category" and child.get("nicename")
        ],
        meta=meta,
        comments=comments,
    )
