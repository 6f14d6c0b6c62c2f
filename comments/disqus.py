"""Reading a Disqus XML export into comments.

The export holds, under a <disqus> root in the http://disqus.com namespace,
<category> elements, <thread> elements (one per page that had comments, with
the page's URL) and <post> elements (the comments, pointing at their thread
and at their parent post); ids are dsq:id attributes in the
http://disqus.com/disqus-internals namespace. comments.export writes the
same shape.

The file is streamed twice with defusedxml (no entities, no external
references): once for the threads, which are few, and to count the posts;
once for the posts, stored in batches. Parents are set in a second step from
a compact {Disqus id: our pk} map, so a reply listed or dated before its
parent keeps it. Everything happens in one transaction: a file that turns
out malformed half-way leaves nothing behind.
"""

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import reset_queries, transaction
from django.utils import timezone

from articles.text import drop_control_characters
from comments.models import Comment, fingerprint
from comments.old_addresses import match_articles
from comments.text import text_from_html

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
NAMESPACE = "http://disqus.com"
INTERNALS_NAMESPACE = "http://disqus.com/disqus-internals"
NAME_LENGTH = Comment._meta.get_field("name").max_length
EMAIL_LENGTH = Comment._meta.get_field("email").max_length
ID_LENGTH = Comment._meta.get_field("disqus_id").max_length
# Rows per INSERT batch and per IN (...) look-up: far below SQLite's limit of
# 32,766 parameters per query, and few enough objects to keep memory flat.
BATCH = 2000


class NotAnExport(ValueError):
    """The file cannot be read as a Disqus export; the message says why in one line."""


@dataclass
class ImportReport:
    imported: int = 0
    already_imported: int = 0
    # (post id, why) for every post not imported, in file order.
    dropped: list = field(default_factory=list)
    # (post id, what was changed) for posts imported with a repair.
    repaired: list = field(default_factory=list)
    # (post id, parent id) for replies imported at the top level.
    orphans: list = field(default_factory=list)
    # (thread URL, number of posts) for threads that match no article.
    unmatched_threads: list = field(default_factory=list)
    total: int = 0


@dataclass
class Thread:
    url: str
    identifier: str
    is_deleted: bool
    posts: int = 0


def _elements(path):
    """The root's children (<category>, <thread>, <post>) one at a time, each
    freed once the caller is done with it."""
    try:
        depth, root = 0, None
        for event, element in iterparse(str(path), events=("start", "end")):
            if event == "start":
                if root is None:
                    root = element
                    if element.tag != f"{NS}disqus":
                        name = element.tag.rsplit("}", 1)[-1]
                        raise NotAnExport(
                            f"{path.name} is not a Disqus export: its root element is <{name}>, "
                            "not <disqus> in the http://disqus.com namespace."
                        )
                depth += 1
                continue
            depth -= 1
            if depth == 1:
                yield element
                root.clear()
    except DefusedXmlException as error:
        raise NotAnExport(
            f"{path.name} is refused: it declares entities or external references ({error})."
        ) from None
    except ParseError as error:
        raise NotAnExport(f"{path.name} is not well-formed XML: {error}.") from None


def _text(element, name):
    child = element.find(f"{NS}{name}")
    return (child.text or "").strip() if child is not None else ""


def _ref(element, name):
    child = element.find(f"{NS}{name}")
    return (child.get(DSQ_ID) or "").strip() if child is not None else ""


def read_threads(path):
    """({thread id: Thread}, number of posts) from the first pass over the file."""
    threads, posts = {}, 0
    for element in _elements(path):
        if element.tag == f"{NS}post":
            posts += 1
        elif element.tag == f"{NS}thread" and element.get(DSQ_ID):
            threads[element.get(DSQ_ID)] = Thread(
                url=_text(element, "link"),
                identifier=_text(element, "id"),
                is_deleted=_text(element, "isDeleted") == "true",
            )
    return threads, posts


@dataclass
class _Run:
    """What one import keeps between batches: small maps, not comments."""

    report: ImportReport
    threads: dict
    matched: dict
    include_hidden: bool
    stored: dict = field(default_factory=dict)  # Disqus id → our pk
    dropped_ids: dict = field(default_factory=dict)  # Disqus id → why it was dropped
    seen_fingerprints: set = field(default_factory=set)  # (article pk, fingerprint)
    parents: list = field(default_factory=list)  # (our pk, parent's Disqus id, label)
    batch: list = field(default_factory=list)  # (Comment, parent's Disqus id)
    batch_ids: set = field(default_factory=set)


def import_export(*, source, url_map=None, dry_run=False, include_hidden=False, progress=None):
    """Import the Disqus export at `source` (a path); returns an ImportReport.

    Posts become approved comments (pending when the export says
    isApproved false). Deleted and spam posts are dropped, or with
    `include_hidden` kept as removed and spam comments. Posts of deleted
    threads are always dropped. Idempotent: a post imported before (by its
    Disqus id, or for a post without one by its article, address and text)
    is left alone and still serves as a parent. With `dry_run` everything
    is checked and counted, then rolled back. `progress(done, total)` is
    called as posts are read. Raises NotAnExport for a file that is not one.
    """
    path = Path(source)
    threads, total = read_threads(path)
    matched = match_articles(threads, url_map or {})
    run = _Run(ImportReport(total=total), threads, matched, include_hidden)
    with transaction.atomic():
        done = 0
        for element in _elements(path):
            if element.tag != f"{NS}post":
                continue
            done += 1
            _take(run, element, number=done)
            if len(run.batch) >= BATCH:
                _flush(run)
            if progress:
                progress(done, total)
        _flush(run)
        _link_parents(run)
        report = run.report
        report.unmatched_threads = sorted(
            (
                (thread.url or f"(thread {thread_id} without a URL)", thread.posts)
                for thread_id, thread in threads.items()
                if thread_id not in matched and not thread.is_deleted
            ),
            key=lambda row: (-row[1], row[0]),
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _take(run, element, *, number):
    """Read one <post>: drop it (with why), or add it to the batch."""
    report = run.report
    disqus_id = (element.get(DSQ_ID) or "").strip()
    label = disqus_id or f"#{number} (no dsq:id)"

    def drop(why, *, listed=True):
        if listed:
            report.dropped.append((label, why))
        if disqus_id:
            run.dropped_ids[disqus_id] = why

    thread_id = _ref(element, "thread")
    thread = run.threads.get(thread_id)
    if thread is not None and thread.is_deleted:
        return drop(f"its thread {thread_id} was deleted")
    is_deleted, is_spam = _text(element, "isDeleted") == "true", _text(element, "isSpam") == "true"
    if (is_deleted or is_spam) and not run.include_hidden:
        return drop("marked deleted" if is_deleted else "marked spam")
    if thread_id not in run.matched:
        if thread is None:
            return drop(f"its thread {thread_id or '(none)'} is not in the export")
        thread.posts += 1
        # Listed once, as an unmatched thread, not post by post.
        return drop(f"its thread {thread.url or thread_id} matches no article", listed=False)
    if len(disqus_id) > ID_LENGTH:
        return drop(f"its dsq:id is longer than {ID_LENGTH} characters")
    if disqus_id and (disqus_id in run.stored or disqus_id in run.batch_ids):
        return drop("listed twice in the export")
    created = _date(_text(element, "createdAt"))
    if created is None:
        return drop(f"its date {_text(element, 'createdAt')!r} is missing or not a date")
    text = drop_control_characters(text_from_html(_text(element, "message")))
    if not text:
        return drop("its message is empty")

    author = element.find(f"{NS}author")
    name = email = ""
    if author is not None:
        name = _text(author, "name") or _text(author, "username")
        email = _text(author, "email")
    name = " ".join(drop_control_characters(name).split()) or "Anonymous"
    if len(name) > NAME_LENGTH:
        report.repaired.append((label, f"name shortened to {NAME_LENGTH} characters"))
        name = name[:NAME_LENGTH].rstrip()
    if email and not _valid_email(email):
        report.repaired.append((label, f"invalid e-mail {email[:60]!r} left out"))
        email = ""

    if is_spam:
        status = Comment.Status.SPAM
    elif is_deleted:
        status = Comment.Status.REMOVED
    elif _text(element, "isApproved") == "false":
        status = Comment.Status.PENDING
    else:
        status = Comment.Status.APPROVED
    comment = Comment(
        article_id=run.matched[thread_id],
        name=name,
        email=email,
        text=text,
        status=status,
        created_at=created,
        approved_at=created if status == Comment.Status.APPROVED else None,
        ip=_valid_ip(_text(element, "ipAddress")),
        disqus_id=disqus_id,
        # Posts without an id are known again by their content.
        fingerprint="" if disqus_id else fingerprint(email=email, text=text),
    )
    comment.label = label
    run.batch.append((comment, _ref(element, "parent")))
    if disqus_id:
        run.batch_ids.add(disqus_id)


def _flush(run):
    """Store the batch, leaving out posts imported by an earlier run."""
    batch, run.batch = run.batch, []
    run.batch_ids.clear()
    if not batch:
        return
    ids = [comment.disqus_id for comment, _ in batch if comment.disqus_id]
    earlier = dict(Comment.objects.filter(disqus_id__in=ids).values_list("disqus_id", "pk"))
    prints = [comment.fingerprint for comment, _ in batch if comment.fingerprint]
    earlier_prints = set(
        Comment.objects.filter(fingerprint__in=prints).values_list("article_id", "fingerprint")
    )
    fresh = []
    for comment, parent_id in batch:
        key = (comment.article_id, comment.fingerprint)
        if comment.disqus_id in earlier:
            run.stored[comment.disqus_id] = earlier[comment.disqus_id]
            run.report.already_imported += 1
        elif comment.fingerprint and key in earlier_prints:
            run.report.already_imported += 1
        elif comment.fingerprint and key in run.seen_fingerprints:
            run.report.dropped.append((comment.label, "the same text by the same author twice"))
        else:
            if comment.fingerprint:
                run.seen_fingerprints.add(key)
            fresh.append((comment, parent_id))
    Comment.objects.bulk_create([comment for comment, _ in fresh], batch_size=BATCH)
    for comment, parent_id in fresh:
        if comment.disqus_id:
            run.stored[comment.disqus_id] = comment.pk
        if parent_id:
            run.parents.append((comment.pk, parent_id, comment.label))
    run.report.imported += len(fresh)
    # With DEBUG on, Django keeps the SQL of the last 9,000 queries: a
    # hundred MB and more of INSERT statements on a large export.
    reset_queries()


def _link_parents(run):
    """Set each reply's parent, now that every post of the export is stored."""
    linked = []
    for pk, parent_id, label in run.parents:
        parent_pk = run.stored.get(parent_id)
        if parent_pk is None:
            why = run.dropped_ids.get(parent_id, "not in the export")
            run.report.orphans.append((label, f"{parent_id} ({why})"))
        else:
            linked.append(Comment(pk=pk, parent_id=parent_pk))
        if len(linked) >= BATCH:
            Comment.objects.bulk_update(linked, ["parent"])
            linked = []
    Comment.objects.bulk_update(linked, ["parent"])
    run.parents.clear()


def _date(value):
    try:
        created = datetime.fromisoformat(value)
    except ValueError:
        return None
    return created.replace(tzinfo=UTC) if timezone.is_naive(created) else created


def _valid_email(value):
    if len(value) > EMAIL_LENGTH:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
