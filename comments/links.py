"""The signed one-click Approve and Spam links in the moderator e-mail.

A link names one comment and one action, signed with SECRET_KEY under a salt
of its own per action (so an Approve link cannot be turned into a Spam link)
and stamped with the time it was made. It only opens a confirmation page in
the admin: the moderator must be signed in with the right to change
comments, and the change happens on a POST with Django's CSRF token. A link
is refused once it is older than MAX_AGE or has been used once (its use is
stored: comments.models.ModerationLinkUse); moderation.use_moderation_link
applies it.
"""

import hashlib
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from comments.models import Comment, ModerationLinkUse

SALT = "comments.moderation-link"
MAX_AGE = timedelta(days=7)
ACTIONS = {
    "approve": (Comment.Status.APPROVED, "Approve"),
    "spam": (Comment.Status.SPAM, "Mark as spam"),
}


class LinkRefused(Exception):
    """Why a link cannot be used, in words for the moderator, with the HTTP
    status its page is sent with."""

    message = ""
    status = 400


class InvalidLink(LinkRefused):
    message = (
        "This link is not valid: it may have been cut short or changed. "
        "Open the comment from the list of comments instead."
    )


class ExpiredLink(LinkRefused):
    message = (
        f"This link has expired: links in moderation e-mails work for {MAX_AGE.days} days. "
        "Open the comment from the list of comments instead."
    )
    status = 410


class UsedLink(LinkRefused):
    message = (
        "This link has already been used. Each link in a moderation e-mail works once; "
        "the comment can still be changed from the list of comments."
    )
    status = 410


class CommentGone(LinkRefused):
    message = "The comment this link was for has been deleted."
    status = 404


def _signer(action):
    return signing.TimestampSigner(salt=f"{SALT}:{action}")


def make_token(comment, action):
    return _signer(action).sign(str(comment.pk))


def link_path(comment, action):
    """The admin address of the confirmation page for `action` on `comment`."""
    return reverse("admin:comments_comment_link", args=[action, make_token(comment, action)])


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def comment_for_link(action, token):
    """The comment a genuine, fresh, unused link is for; raises LinkRefused."""
    if action not in ACTIONS:
        raise InvalidLink
    try:
        value = _signer(action).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise InvalidLink from None
    if not (value.isascii() and value.isdigit()):
        raise InvalidLink
    if ModerationLinkUse.objects.filter(token_digest=token_digest(token)).exists():
        raise UsedLink
    comment = Comment.objects.select_related("article").filter(pk=int(value)).first()
    if comment is None:
        raise CommentGone
    return comment
