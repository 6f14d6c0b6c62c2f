"""Arranging an article's approved comments into the threads a page shows."""

from dataclasses import dataclass, field

MAX_DEPTH = 3


@dataclass
class Node:
    comment: object
    depth: int
    # The node whose `replies` list holds this one (None for a thread's start).
    holder: "Node | None" = None
    replies: list = field(default_factory=list)
    # Set when the comment answers one at the last level and so sits beside it.
    replying_to: object = None


def build_threads(comments):
    """Top-level nodes, each holding its replies, all oldest first.

    `comments` must come oldest first (a reply is always younger than what it
    answers). Replies nest up to MAX_DEPTH levels; a reply to a comment at the
    last level is shown beside it, at that level, naming whom it answers. A
    reply whose parent is not shown (not approved) starts a thread of its own.
    Pinned comments come first among their siblings (the replies in one
    list, or the threads themselves), the rest keep their order.
    """
    nodes = {}
    roots = []
    for comment in comments:
        parent = nodes.get(comment.parent_id)
        if parent is None:
            node = Node(comment, depth=1)
            roots.append(node)
        elif parent.depth < MAX_DEPTH:
            node = Node(comment, depth=parent.depth + 1, holder=parent)
            parent.replies.append(node)
        else:
            node = Node(comment, depth=MAX_DEPTH, holder=parent.holder, replying_to=parent.comment)
            parent.holder.replies.append(node)
        nodes[comment.pk] = node
    for node in [None, *nodes.values()]:
        siblings = roots if node is None else node.replies
        if any(sibling.comment.is_pinned for sibling in siblings):
            siblings.sort(key=lambda sibling: not sibling.comment.is_pinned)
    return roots
