"""Reading a Disqus XML export into approved comments.

The export holds <thread> elements (one per page that had comments, with the
page's URL) and <post> elements (the comments, pointing at their thread and
at their parent post), in the http://disqus.com namespace; ids are
dsq:id attributes in the http://disqus.com/disqus-internals namespace.
"""

import csv
import html
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from defusedxml import ElementTree
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


@dataclass
class ImportReport:
    imported: int = 0
    already_imported: int = 0
    deleted_or_spam: int = 0
    orphans: int = 0
    in_unmatched_threads: int = 0
    unmatched_threads: list = field(default_factory=list)


@dataclass
class Post:
    disqus_id: str
    thread_id: str
    parent_id: str
    name: str
    email: str
    text: str
    created_at: datetime
    ip: str | None
    skipped: bool


def read_url_map(lines):
    """{normalised old path: article slug} from CSV rows `old URL,slug`.

    Rows whose first cell is not a URL or path (a header, a note) are ignored.
    """
    url_map = {}
    for row in csv.reader(lines):
        if len(row) < 2 or "/" not in row[0]:
            continue
        old, slug = row[0].strip(), row[1].strip().strip("/")
        if not re.fullmatch(r"[\w-]+", slug):
            continue
        url_map[normalise_path(old)] = slug
    return url_map


def normalise_path(url):
    """The path of a URL (or a bare path), without its trailing slash, lowercased."""
    path = urlsplit(url.strip()).path if "://" in url else url.strip().split("?")[0]
    return "/" + path.strip("/").lower()


def slug_from_url(url):
    """The last path segment without `.html`: /injuries/runners-knee.html → runners-knee."""
    last = normalise_path(url).rsplit("/", 1)[-1]
    return re.sub(r"\.s?html?$", "", last)


def message_to_text(message):
    """Disqus stores comments as HTML; ours are plain text with blank lines
    between paragraphs, so keep the words and the paragraph breaks."""
    message = re.sub(r"<br\s*/?>", "\n", message or "", flags=re.I)
    message = re.sub(r"</p\s*>\s*", "\n\n", message, flags=re.I)
    message = re.sub(
        r"<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", _link_text, message, flags=re.I | re.S
    )
    message = html.unescape(re.sub(r"<[^>]+>", "", message))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", message)]
    return "\n\n".join(p for p in paragraphs if p)


def _link_text(match):
    href, label = html.unescape(match.group(1)), re.sub(r"<[^>]+>", "", match.group(2)).strip()
    if not label or label.rstrip("/.…") in href:
        return href
    return f"{label} ({href})"


def parse_export(source):
    """(threads {id: (url, identifier)}, posts [Post]) from a file or path."""
    threads, posts = {}, []
    for _, element in ElementTree.iterparse(source, events=("end",)):
        if element.tag == f"{NS}thread" and element.get(DSQ_ID) and len(element):
            threads[element.get(DSQ_ID)] = (
                _text(element, "link"),
                _text(element, "id"),
            )
            element.clear()
        elif element.tag == f"{NS}post":
            posts.append(_read_post(element))
            element.clear()
    return threads, posts


def _text(element, name):
    child = element.find(f"{NS}{name}")
    return (child.text or "").strip() if child is not None else ""


def _read_post(element):
    author = element.find(f"{NS}author")
    thread = element.find(f"{NS}thread")
    parent = element.find(f"{NS}parent")
    created = datetime.fromisoformat(_text(element, "createdAt").replace("Z", "+00:00"))
    if timezone.is_naive(created):
        created = created.replace(tzinfo=UTC)
    name = email = ""
    if author is not None:
        name = _text(author, "name") or _text(author, "username")
        email = _text(author, "email")
    return Post(
        disqus_id=element.get(DSQ_ID, ""),
        thread_id=thread.get(DSQ_ID, "") if thread is not None else "",
        parent_id=parent.get(DSQ_ID, "") if parent is not None else "",
        name=(name or "Anonymous")[:80],
        email=email[:254],
        text=message_to_text(_text(element, "message")),
        created_at=created,
        ip=_valid_ip(_text(element, "ipAddress")),
        skipped=_text(element, "isDeleted") == "true" or _text(element, "isSpam") == "true",
    )


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def match_articles(threads, url_map):
    """{thread id: Article} for the threads that match an article, and the
    URLs of those that do not. The URL map wins, then the URL's last path
    segment as a slug, then the thread's own identifier as a slug."""
    wanted = {}
    for thread_id, (url, identifier) in threads.items():
        candidates = [url_map.get(normalise_path(url)), slug_from_url(url), identifier.strip("/")]
        wanted[thread_id] = [slug for slug in candidates if slug]
    slugs = {slug for candidates in wanted.values() for slug in candidates}
    articles = Article.objects.only("pk", "slug").in_bulk(slugs, field_name="slug")
    matched, unmatched = {}, []
    for thread_id, candidates in wanted.items():
        article = next((articles[s] for s in candidates if s in articles), None)
        if article is None:
            unmatched.append(threads[thread_id][0] or f"(thread {thread_id} without a URL)")
        else:
            matched[thread_id] = article
    return matched, unmatched


def import_export(*, source, url_map=None, dry_run=False, progress=None):
    """Import a Disqus export as approved comments; returns an ImportReport.

    Idempotent: posts imported before (matched by their Disqus id) are left
    alone and still serve as parents. With `dry_run` everything is checked
    and counted, then rolled back. `progress(done, total)` is called as posts
    are stored.
    """
    threads, posts = parse_export(source)
    matched, unmatched = match_articles(threads, url_map or {})
    report = ImportReport(unmatched_threads=sorted(unmatched))
    posts.sort(key=lambda post: post.created_at)

    with transaction.atomic():
        existing = dict(
            Comment.objects.exclude(disqus_id="")
            .filter(disqus_id__in=[post.disqus_id for post in posts])
            .values_list("disqus_id", "pk")
        )
        stored = dict(existing)  # disqus id → our comment's pk
        total = len(posts)
        for done, post in enumerate(posts, start=1):
            if post.skipped:
                report.deleted_or_spam += 1
            elif post.thread_id not in matched:
                report.in_unmatched_threads += 1
            elif post.disqus_id in existing:
                report.already_imported += 1
            else:
                parent_pk = stored.get(post.parent_id) if post.parent_id else None
                if post.parent_id and parent_pk is None:
                    report.orphans += 1
                comment = Comment.objects.create(
                    article=matched[post.thread_id],
                    parent_id=parent_pk,
                    name=post.name,
                    email=post.email,
                    text=post.text,
                    status=Comment.Status.APPROVED,
                    created_at=post.created_at,
                    approved_at=post.created_at,
                    ip=post.ip,
                    disqus_id=post.disqus_id,
                )
                stored[post.disqus_id] = comment.pk
                report.imported += 1
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)
        if dry_run:
            transaction.set_rollback(True)
    return report
