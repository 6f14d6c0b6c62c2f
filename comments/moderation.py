"""The moderation policy: what happens to a posted comment, and to a comment
a moderator approves, marks as spam or removes.

A post passes these checks in this order; the first that decides wins:

1. Cross-site posting is refused (HTTP 403) by the view, which alone sees the
   request's headers (comments.origin); then a closed article refuses it.
2. An invalid form is shown again with its errors (HTTP 400).
3. A filled honeypot, or a form token that is forged, too fresh or expired,
   stores the comment as spam: never dropped, so a person can rescue it.
4. More posts from the IP address than the rate limit per period are
   refused (HTTP 429) with the text kept.
5. A block-list word stores it as spam; more links than allowed, a
   hold-list word or a medical red-flag phrase holds it as pending.
6. The same text from the same address on the same article is refused as a
   duplicate (a unique constraint, so parallel posts cannot slip through).
7. Otherwise an address with an approved comment is approved at once (if
   the rules say so); everything else waits as pending.

The rules of steps 4, 5 and 7 are the owner's, edited in the admin
(comments.models.CommentRules), read afresh for every post so a change
applies to the next one. The COMMENTS_* settings are only a new site's first
values. Closing after N days stays the COMMENTS_CLOSE_AFTER_DAYS setting: it
is the articles app's queryset rule, and articles does not import comments.
"""

import functools
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.text import drop_control_characters
from comments import links, notifications
from comments.forms import CommentForm
from comments.models import (
    Comment,
    CommentRules,
    ModerationLinkUse,
    fingerprint,
    phrase_list,
)
from comments.ratelimit import is_over_limit
from comments.text import count_links
from comments.tokens import form_token_problem

CLOSED = "Comments on this article are closed, so your comment was not posted."
TOO_MANY_POSTS = (
    "You have posted several comments in a short time. Please wait a minute and post again; "
    "your comment is still here."
)
DUPLICATE = "You have already posted this comment here. It will appear once it is approved."


@dataclass
class Submission:
    """What became of a post: a stored comment, or a form to show again."""

    form: CommentForm
    comment: Comment | None = None
    # The HTTP status for a post that was refused; the form says why.
    refused_with: int | None = None


def submit_comment(*, article, data, ip, user_agent=""):
    """Check a reader's post against the policy above and store it if it passes.

    `data` is the posted form data. Moderators are e-mailed about a pending
    comment, and a reply's addressee about an approved reply, after commit;
    a mail server that fails is logged, never turned into an error for the
    reader, whose comment is stored by then.
    """
    form = CommentForm(data, article=article)
    if not article.is_open_for_comments:
        form.add_error(None, CLOSED)
        return Submission(form, refused_with=403)
    if not form.is_valid():
        return Submission(form, refused_with=400)

    comment = form.save(commit=False)
    comment.article = article
    comment.parent = form.cleaned_data["parent"]
    comment.ip = ip
    # Headers are the client's to fill; PostgreSQL refuses a NUL in them.
    comment.user_agent = drop_control_characters(user_agent)[:300]

    trap = "The hidden honeypot field was filled in." if form.is_trap_filled else ""
    trap = trap or form_token_problem(form.cleaned_data["token"], article)
    if trap:
        return _store(form, comment, Comment.Status.SPAM, trap)

    rules = CommentRules.current()
    if is_over_limit(key=ip or "unknown", limit=rules.rate_limit, period=rules.rate_limit_period):
        form.add_error(None, TOO_MANY_POSTS)
        return Submission(form, refused_with=429)

    status, reason = content_verdict(comment, rules)
    if status is None:
        known = (
            rules.auto_approve_known_emails
            # The team's own replies vouch for no one: a reader who types a
            # team member's address is not approved on its strength.
            and Comment.objects.approved()
            .filter(email__iexact=comment.email, is_staff_reply=False)
            .exists()
        )
        status = Comment.Status.APPROVED if known else Comment.Status.PENDING
    return _store(form, comment, status, reason)


def content_verdict(comment, rules=None):
    """(status, reason) from the rules' word lists and link count, or (None, "").

    `rules` is a CommentRules; the current one when not given."""
    rules = rules or CommentRules.current()
    haystack = " ".join(
        [
            comment.name,
            comment.email,
            comment.website,
            comment.text,
            comment.ip or "",
            comment.user_agent,
        ]
    )
    word = _first_listed_word(haystack, phrase_list(rules.block_words))
    if word:
        return Comment.Status.SPAM, f"Contains “{word}” from the block list."
    links = count_links(comment.text)
    if links > rules.max_links:
        return Comment.Status.PENDING, f"Has {links} links (more than {rules.max_links})."
    word = _first_listed_word(haystack, phrase_list(rules.moderation_words))
    if word:
        return Comment.Status.PENDING, f"Contains “{word}” from the moderation list."
    phrase = _first_listed_word(comment.text, phrase_list(rules.red_flag_phrases))
    if phrase:
        return Comment.Status.PENDING, f"Medical red flag: “{phrase}”. A person should read it."
    return None, ""


def _first_listed_word(text, words):
    """The listed word or phrase found first in `text` as whole words, any
    case; spacing between the words of a phrase may be any run of white
    space, and a typographic apostrophe matches a straight one."""
    if not any(_phrase_key(word) for word in words):
        return ""
    found = _listed_words_pattern(tuple(words)).search(text.replace("\u2019", "'"))
    if not found:
        return ""
    return _phrase_index(tuple(words)).get(_phrase_key(found.group(0)), found.group(0))


def _phrase_key(phrase):
    return " ".join(phrase.replace("\u2019", "'").split()).lower()


@functools.lru_cache(maxsize=16)
def _listed_words_pattern(words):
    # One pattern for the whole list, so a long list costs one pass over the
    # text. Keyed by the list itself: an edited list is a new pattern.
    alternatives = sorted(
        {
            r"\s+".join(re.escape(part) for part in _phrase_key(word).split())
            for word in words
            if _phrase_key(word)
        },
        key=len,
        reverse=True,
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=16)
def _phrase_index(words):
    return {_phrase_key(word): word for word in reversed(words)}


def _store(form, comment, status, reason):
    comment.status = status
    comment.held_reason = reason[:200]
    comment.fingerprint = fingerprint(email=comment.email, text=comment.text)
    if status == Comment.Status.APPROVED:
        comment.approved_at = timezone.now()
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        if not Comment.objects.filter(
            article=comment.article, fingerprint=comment.fingerprint
        ).exists():
            raise
        form.add_error("text", DUPLICATE)
        return Submission(form, refused_with=400)
    if status == Comment.Status.PENDING:
        transaction.on_commit(lambda: notifications.notify_moderators(comment=comment), robust=True)
    elif status == Comment.Status.APPROVED:
        _after_approval(comment)
    return Submission(form, comment=comment)


def change_status(*, comments, status):
    """Set `status` on `comments` (a queryset); returns how many changed.

    A comment approved for the first time e-mails, once the change is
    committed, the commenter it answers (if they asked for reply e-mails) and
    its own author (if they asked to be told when it is published; never
    twice: the sending is recorded in the same transaction).
    """
    changed = 0
    # Re-selected by primary key: the admin's queryset may carry DISTINCT or
    # ordering that row locks do not allow.
    chosen = Comment.objects.filter(pk__in=list(comments.values_list("pk", flat=True)))
    with transaction.atomic():
        for comment in chosen.select_related("article", "parent").select_for_update(of=("self",)):
            if comment.status == status:
                continue
            comment.status = status
            fields = ["status"]
            first_approval = status == Comment.Status.APPROVED and comment.approved_at is None
            tell_author = (
                first_approval
                and comment.publish_notice_enabled
                and comment.email
                and comment.publish_notice_sent_at is None
            )
            if first_approval:
                comment.approved_at = timezone.now()
                fields.append("approved_at")
            if tell_author:
                comment.publish_notice_sent_at = comment.approved_at
                fields.append("publish_notice_sent_at")
            comment.save(update_fields=fields)
            if first_approval:
                _after_approval(comment)
            if tell_author:
                # Bound now: the loop moves `comment` on before the commit.
                transaction.on_commit(
                    lambda comment=comment: notifications.notify_published(comment=comment),
                    robust=True,
                )
            changed += 1
    return changed


def post_staff_reply(*, parent, user, text, is_pinned=False):
    """Store `text` as the site team's reply to `parent`, written by `user` in
    the admin; returns the reply, or None when the same reply is already there
    (a second click on "Post reply").

    A staff reply is approved at once, under the user's name, and tells the
    commenter it answers through the usual reply e-mail. Answering a comment
    that still waits approves it first, as WordPress's "Approve and Reply"
    does: a reply under a comment readers cannot see would make no sense.
    Spam and removed comments are not answered (the view offers no form).
    """
    if not parent.may_be_answered:
        raise ValueError("Spam and removed comments are not answered.")
    with transaction.atomic():
        return _store_staff_reply(parent=parent, user=user, text=text, is_pinned=is_pinned)


def _store_staff_reply(*, parent, user, text, is_pinned):
    if not parent.is_approved:
        change_status(comments=Comment.objects.filter(pk=parent.pk), status=Comment.Status.APPROVED)
        parent.refresh_from_db()
    reply = Comment(
        article=parent.article,
        parent=parent,
        name=(user.get_full_name() or user.get_username())[:80],
        email=user.email,
        text=text,
        is_staff_reply=True,
        staff_user=user,
        is_pinned=is_pinned,
        status=Comment.Status.APPROVED,
        approved_at=timezone.now(),
        # The parent is part of it: the team may well say "Thank you" to two
        # commenters on one article, but not twice to the same one.
        fingerprint=fingerprint(
            email=user.email or user.get_username(), text=f"reply to {parent.pk}: {text}"
        ),
    )
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError:
        return None
    _after_approval(reply)
    return reply


def use_moderation_link(*, action, token, user):
    """Apply a signed link from a moderator e-mail (comments.links) for `user`,
    who has been checked for the right to change comments; returns the
    comment. Raises links.LinkRefused for a link that is forged, expired or
    already used: its use is stored in the same transaction as the change,
    so two clicks at once cannot both count."""
    comment = links.comment_for_link(action, token)
    status, _label = links.ACTIONS[action]
    try:
        with transaction.atomic():
            ModerationLinkUse.objects.create(
                token_digest=links.token_digest(token), comment=comment, action=action, used_by=user
            )
            change_status(comments=Comment.objects.filter(pk=comment.pk), status=status)
    except IntegrityError:
        raise links.UsedLink from None
    comment.refresh_from_db()
    return comment


def _after_approval(comment):
    parent = comment.parent
    if (
        parent is not None
        and parent.reply_emails_enabled
        and parent.email
        and parent.email.lower() != comment.email.lower()
    ):
        transaction.on_commit(lambda: notifications.notify_reply(reply=comment), robust=True)
