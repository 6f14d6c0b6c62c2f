"""A forgiving element tree of a published page, built from core.markup's tokens.

Old pages were written by a site builder and by owners pasting code, so tags
are left open, closed twice or closed in the wrong order. The tree is built
the way a browser roughly would: void elements never hold children, a block
element or a second <p> closes an open <p>, an end tag closes up to its
element when it is open and is ignored when it is not. Comments are kept
(with their text), because the platform marks its reusable regions with them.
"""

from dataclasses import dataclass, field
from html import escape

from core.markup import parse

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Elements a <p> cannot contain: their start closes an open paragraph.
CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "div", "dl", "fieldset", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p",
        "pre", "section", "table", "ul",
    }
)  # fmt: skip


@dataclass(eq=False)
class Node:
    tag: str  # "" for text, "!" for a comment
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    text: str = ""
    parent: "Node | None" = None

    @property
    def is_element(self):
        return self.tag not in ("", "!")

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def has_class(self, name):
        return name in self.classes

    def class_starts_with(self, prefix):
        return any(name.startswith(prefix) for name in self.classes)

    def iter(self):
        """This node and every node under it, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def elements(self, tag=None):
        return [n for n in self.iter() if n.is_element and (tag is None or n.tag == tag)]

    def find(self, predicate):
        return next((n for n in self.iter() if n.is_element and predicate(n)), None)

    def text_content(self):
        parts = []
        for node in self.iter():
            if node.tag == "":
                parts.append(node.text)
            elif node.tag == "br":
                parts.append(" ")
        return " ".join("".join(parts).split())

    def remove(self):
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None

    def replace_with(self, nodes):
        """Put `nodes` where this node is (an empty list removes it)."""
        parent = self.parent
        at = parent.children.index(self)
        for node in nodes:
            node.parent = parent
        parent.children[at : at + 1] = nodes
        self.parent = None

    def unwrap(self):
        """Keep the children where this element was."""
        self.replace_with(list(self.children))


def text_node(text):
    return Node("", text=text)


def element(tag, attrs=None, children=()):
    node = Node(tag, dict(attrs or {}))
    for child in children:
        child.parent = node
        node.children.append(child)
    return node


def build(markup):
    """The root (tag "#root") of the tree of `markup`."""
    root = Node("#root")
    stack = [root]
    for token in parse(markup):
        top = stack[-1]
        if token.kind == "start":
            tag = token.tag
            if tag in CLOSES_P or tag == "li":
                _close_paragraph(stack, also_li=tag == "li")
                top = stack[-1]
            node = Node(tag, token.attrs, parent=top)
            top.children.append(node)
            if tag not in VOID and not markup.startswith("/>", token.end - 2):
                stack.append(node)
        elif token.kind == "end":
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == token.tag:
                    del stack[depth:]
                    break
        elif token.kind == "text":
            top.children.append(Node("", text=token.text, parent=top))
        else:
            source = markup[token.start : token.end]
            if source.startswith("<!--"):
                text = source[4:].split("-->", 1)[0].strip()
                top.children.append(Node("!", text=text, parent=top))
    return root


def _close_paragraph(stack, *, also_li):
    """Close an open <p> (and, before a new <li>, the open <li> of its list)."""
    for depth in range(len(stack) - 1, 0, -1):
        tag = stack[depth].tag
        if tag == "p" or (also_li and tag == "li"):
            del stack[depth:]
            return
        if tag in ("div", "td", "th", "li", "ul", "ol", "table", "blockquote", "figure"):
            return


def serialize(nodes):
    """HTML of `nodes`: text escaped, attributes quoted, comments left out.
    A newline follows each block's end so words in neighbouring cells or
    items never run together in the text."""
    out = []
    for node in nodes:
        _write(node, out)
    return "".join(out)


def _write(node, out):
    if node.tag == "":
        out.append(escape(node.text, quote=False))
        return
    if node.tag in ("!", "#root"):
        if node.tag == "#root":
            for child in node.children:
                _write(child, out)
        return
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
    out.append(f"<{node.tag}{attributes}>")
    if node.tag in VOID:
        return
    for child in node.children:
        _write(child, out)
    out.append(f"</{node.tag}>")
    if node.tag in CLOSES_P or node.tag in ("li", "tr", "td", "th", "figcaption", "caption"):
        out.append("\n")
