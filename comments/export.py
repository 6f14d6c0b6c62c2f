"""Writing every comment out, so an owner can take them to another system.

Two formats, both streamed (rows read with iterator(), never a whole table):

- "disqus": the Disqus XML import format, the shape comments.disqus reads:
  a <disqus> root holding one <category>, a <thread dsq:id> per article with
  comments (its absolute <link> on SITE_URL, <title>, <id> identifier = the
  slug), then a <post dsq:id> per comment (<thread dsq:id/>, <parent
  dsq:id/>, <author><name/><email/></author>, <message> as HTML in CDATA,
  <createdAt>, <ipAddress>, <isDeleted>, <isSpam>, <isApproved>). A
  comment keeps the Disqus id it was imported with; others get
  "injurysite-<pk>". Status: approved → isApproved; pending → none of the
  three; spam → isSpam; removed → isDeleted.
- "json": one object {"format": "injurysite-comments", "version": 1,
  "site": SITE_URL, "threads": [{"id", "url", "title", "identifier"}],
  "comments": [{"id", "disqus_id", "thread", "parent", "name", "email",
  "website", "text", "status", "created_at", "ip"}]}; "thread" and "parent"
  are the "id" of a thread and of a comment (parent null at the top level),
  "text" our plain text, "created_at" ISO 8601 in UTC.

Dates are written to the second, as Disqus does, with the microseconds
after the seconds when a comment has any, so nothing is rounded away.
"""

import json
import re
from datetime import UTC
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings

from articles.models import Article
from comments.disqus import INTERNALS_NAMESPACE, NAMESPACE
from comments.models import Comment
from comments.text import html_from_text

FORMATS = ("disqus", "json")
CHUNK = 2000
OWN_ID_PREFIX = "injurysite-"
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_COMMENT_FIELDS = (
    "pk",
    "disqus_id",
    "article_id",
    "parent_id",
    "parent__disqus_id",
    "name",
    "email",
    "website",
    "text",
    "status",
    "created_at",
    "ip",
)


def export_comments(*, format, write):
    """Write every comment with its thread in `format` ("disqus" or
    "json") through `write(str)`, piece by piece."""
    if format == "disqus":
        _disqus(write)
    elif format == "json":
        _json(write)
    else:
        raise ValueError(f"Unknown format {format!r}; choose one of {', '.join(FORMATS)}.")


def _threads():
    """(pk, absolute URL, title, slug) of each article that has comments."""
    site = settings.SITE_URL or "http://localhost:8000"
    articles = (
        Article.objects.filter(comments__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", "slug", "title")
    )
    for pk, slug, title in articles.iterator(chunk_size=CHUNK):
        yield pk, site + Article(slug=slug).get_absolute_url(), title, slug


def _comments():
    return Comment.objects.order_by("pk").values_list(*_COMMENT_FIELDS).iterator(chunk_size=CHUNK)


def _post_id(pk, disqus_id):
    return disqus_id or f"{OWN_ID_PREFIX}{pk}"


def _xml(value):
    return escape(_NOT_XML.sub("", str(value)))


def _attr(value):
    return quoteattr(_NOT_XML.sub("", str(value)))


def _iso(moment):
    """ISO 8601 in UTC, as Disqus writes it, with the microseconds when there are any."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S" + (".%f" if moment.microsecond else "") + "Z")


def _flag(value):
    return "true" if value else "false"


def _disqus(write):
    forum = _xml(settings.SITE_URL.split("://")[-1].strip("/") or "injurysite")
    write(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<disqus xmlns="{NAMESPACE}" xmlns:dsq="{INTERNALS_NAMESPACE}">\n'
        f'  <category dsq:id="1"><forum>{forum}</forum><title>General</title>'
        "<isDefault>true</isDefault></category>\n"
    )
    for pk, url, title, slug in _threads():
        write(
            f"  <thread dsq:id={_attr(pk)}><id>{_xml(slug)}</id><forum>{forum}</forum>"
            f'<category dsq:id="1"/><link>{_xml(url)}</link><title>{_xml(title)}</title>'
            "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n"
        )
    for row in _comments():
        comment = dict(zip(_COMMENT_FIELDS, row, strict=True))
        status = comment["status"]
        parent = ""
        if comment["parent_id"]:
            parent_id = _post_id(comment["parent_id"], comment["parent__disqus_id"])
            parent = f"<parent dsq:id={_attr(parent_id)}/>"
        message = _NOT_XML.sub("", html_from_text(comment["text"]))
        write(
            f"  <post dsq:id={_attr(_post_id(comment['pk'], comment['disqus_id']))}>"
            f"<message><![CDATA[{message}]]></message>"
            f"<createdAt>{_iso(comment['created_at'])}</createdAt>"
            f"<isDeleted>{_flag(status == Comment.Status.REMOVED)}</isDeleted>"
            f"<isSpam>{_flag(status == Comment.Status.SPAM)}</isSpam>"
            f"<isApproved>{_flag(status == Comment.Status.APPROVED)}</isApproved>"
            f"<author><name>{_xml(comment['name'])}</name><email>{_xml(comment['email'])}</email>"
            "<isAnonymous>false</isAnonymous></author>"
            f"<ipAddress>{_xml(comment['ip'] or '')}</ipAddress>"
            f"<thread dsq:id={_attr(comment['article_id'])}/>{parent}</post>\n"
        )
    write("</disqus>\n")


def _json(write):
    write(
        '{"format": "injurysite-comments", "version": 1, '
        f'"site": {json.dumps(settings.SITE_URL)},\n"threads": ['
    )
    separator = "\n"
    for pk, url, title, slug in _threads():
        thread = {"id": pk, "url": url, "title": title, "identifier": slug}
        write(separator + json.dumps(thread))
        separator = ",\n"
    write('\n],\n"comments": [')
    separator = "\n"
    for row in _comments():
        comment = dict(zip(_COMMENT_FIELDS, row, strict=True))
        item = {
            "id": comment["pk"],
            "disqus_id": comment["disqus_id"],
            "thread": comment["article_id"],
            "parent": comment["parent_id"],
            "name": comment["name"],
            "email": comment["email"],
            "website": comment["website"],
            "text": comment["text"],
            "status": comment["status"],
            "created_at": _iso(comment["created_at"]),
            "ip": comment["ip"],
        }
        write(separator + json.dumps(item, ensure_ascii=False))
        separator = ",\n"
    write("\n]}\n")
