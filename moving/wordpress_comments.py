"""The comments of one WordPress post, with their threads.

Approved comments (`comment_approved` 1) are imported approved, those
waiting for moderation (0) as pending; spam and trashed comments, pingbacks
and trackbacks are left out and counted. The text is WordPress's HTML made
plain (comments.text.text_from_html), as the Disqus import does. A comment
is known again on a second run by its import key `wp-<comment id>` (Disqus
ids are digits only, so the two never meet), or, without an id, by its
article, e-mail and text (comments.models.fingerprint). Parents are set once
every comment of the post is stored, so a reply listed before its parent
keeps it; a reply whose parent was left out is kept at the top level and
reported.
"""

import ipaddress
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from articles.text import drop_control_characters
from comments.models import Comment, fingerprint
from comments.text import text_from_html

NAME_LENGTH = Comment._meta.get_field("name").max_length
EMAIL_LENGTH = Comment._meta.get_field("email").max_length
WEBSITE_LENGTH = Comment._meta.get_field("website").max_length
KEY_PREFIX = "wp-"
STATUSES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING}
LEFT_OUT = {
    "spam": "marked spam",
    "trash": "in the trash",
    "post-trashed": "its post was trashed",
}
_web_address = URLValidator(schemes=["http", "https"])


def import_comments(*, article, item, report):
    """Store the comments of `item` (a wordpress_read.Item) under `article`."""
    if not item.comments:
        return
    label = item.label
    fresh, parents, ids, reasons = [], [], {}, {}
    keys = [KEY_PREFIX + c.comment_id for c in item.comments if c.comment_id.isdigit()]
    earlier = dict(Comment.objects.filter(disqus_id__in=keys).values_list("disqus_id", "pk"))
    prints = set(
        Comment.objects.filter(article=article)
        .exclude(fingerprint="")
        .values_list("fingerprint", flat=True)
    )
    for entry in item.comments:
        name = f"comment {entry.comment_id or '(no id)'} on {label}"
        why = _left_out(entry)
        if why is None:
            comment, why = _comment(entry, article=article)
        if why is not None:
            reasons[entry.comment_id] = why
            if why in LEFT_OUT.values() or why.startswith("a "):
                report.count(f"Comments left out ({why.split(' (')[0]})")
            else:
                report.add("Comments that could not be imported", f"{name}: {why}")
            continue
        key = comment.disqus_id
        if key and key in earlier:
            ids[entry.comment_id] = earlier[key]
            report.count("Comments already imported")
            continue
        if comment.fingerprint and comment.fingerprint in prints:
            report.count("Comments already imported")
            continue
        if comment.fingerprint:
            prints.add(comment.fingerprint)
        for repair in comment.repairs:
            report.add("Comments repaired", f"{name}: {repair}")
        fresh.append((entry, comment))
    Comment.objects.bulk_create([comment for _, comment in fresh])
    for entry, comment in fresh:
        if entry.comment_id:
            ids[entry.comment_id] = comment.pk
        report.count(f"Comments imported ({comment.get_status_display().lower()})")
        if entry.parent and entry.parent != "0":
            parents.append((entry, comment))
    linked = []
    parent_of = {entry.comment_id: entry.parent for entry, _ in parents}
    for entry, comment in parents:
        parent_pk = ids.get(entry.parent)
        if parent_pk is None:
            why = reasons.get(entry.parent, "not in the export")
        elif _in_a_loop(entry.comment_id, parent_of):
            parent_pk, why = None, "its replies lead back to it"
            parent_of.pop(entry.comment_id)
        if parent_pk is None:
            report.add(
                "Replies kept at the top level (their parent is missing)",
                f"comment {entry.comment_id} on {label}: parent {entry.parent} ({why})",
            )
        else:
            comment.parent_id = parent_pk
            linked.append(comment)
    Comment.objects.bulk_update(linked, ["parent"])


def _in_a_loop(comment_id, parent_of):
    """True when following parents up from `comment_id` comes back to it (a
    comment that is its own parent, or two that answer each other)."""
    seen, current = set(), comment_id
    while current in parent_of and current not in seen:
        seen.add(current)
        current = parent_of[current]
        if current == comment_id:
            return True
    return False


def _left_out(entry):
    if entry.kind in ("pingback", "trackback"):
        return f"a {entry.kind}"
    if entry.kind not in ("", "comment"):
        return f"a {entry.kind} (not a reader's comment)"
    if entry.approved in LEFT_OUT:
        return LEFT_OUT[entry.approved]
    if entry.approved not in STATUSES:
        return f"its status {entry.approved!r} is not approved or waiting"
    return None


def _comment(entry, *, article):
    """(Comment, None), or (None, why it is left out); what was repaired is
    in the comment's `repairs`."""
    created = _date(entry)
    if created is None:
        return None, f"its date {entry.date_gmt or entry.date!r} is missing or not a date"
    text = drop_control_characters(text_from_html(entry.content))
    if not text:
        return None, "its text is empty"
    repairs = []
    author = " ".join(drop_control_characters(entry.author).split()) or "Anonymous"
    if len(author) > NAME_LENGTH:
        repairs.append(f"name shortened to {NAME_LENGTH} characters")
        author = author[:NAME_LENGTH].rstrip()
    email = entry.email.strip()
    if email and not _valid(validate_email, email, EMAIL_LENGTH):
        repairs.append(f"invalid e-mail {email[:60]!r} left out")
        email = ""
    website = entry.url.strip()
    if website and not _valid(_web_address, website, WEBSITE_LENGTH):
        repairs.append(f"invalid website {website[:60]!r} left out")
        website = ""
    status = STATUSES[entry.approved]
    key = KEY_PREFIX + entry.comment_id if entry.comment_id.isdigit() else ""
    comment = Comment(
        article=article,
        name=author,
        email=email,
        website=website,
        text=text,
        status=status,
        created_at=created,
        approved_at=created if status == Comment.Status.APPROVED else None,
        ip=_ip(entry.ip),
        disqus_id=key,
        fingerprint="" if key else fingerprint(email=email, text=text),
    )
    comment.repairs = repairs
    return comment, None


def _date(entry):
    for value, zone in ((entry.date_gmt, UTC), (entry.date, ZoneInfo(settings.TIME_ZONE))):
        if not value or value.startswith("0000"):
            continue
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def _valid(validator, value, length):
    if len(value) > length:
        return False
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
