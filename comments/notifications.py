"""E-mail about comments: to moderators when one waits, to a commenter when a
reply to them is approved or when their own held comment is published.
Called after the transaction commits; nothing is ever sent to a reader about
a comment that is not approved."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from comments import links
from comments.models import Comment

UNSUBSCRIBE_SALT = "comments.unsubscribe"


# Where e-mail links point while SITE_URL is unset: the development server.
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def absolute(path):
    return (settings.SITE_URL or DEVELOPMENT_URL) + path


def notify_moderators(*, comment):
    if not settings.COMMENTS_MODERATOR_EMAILS:
        return
    context = {
        "comment": comment,
        "article": comment.article,
        "review_url": absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
        "pending_url": absolute(reverse("admin:comments_comment_changelist"))
        + "?status__exact=pending",
        # Each opens a confirmation page in the admin; see comments.links.
        "approve_url": absolute(links.link_path(comment, "approve")),
        "spam_url": absolute(links.link_path(comment, "spam")),
        "link_days": links.MAX_AGE.days,
    }
    send_mail(
        subject=f"Comment awaiting moderation on “{comment.article.title}”",
        message=render_to_string("comments/email/moderation.txt", context),
        from_email=None,
        recipient_list=settings.COMMENTS_MODERATOR_EMAILS,
    )


def notify_reply(*, reply):
    """Tell the author of the comment `reply` answers that it is now public."""
    parent = reply.parent
    unsubscribe_url = absolute(
        reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(parent.email)})
    )
    context = {
        "reply": reply,
        "parent": parent,
        "article": reply.article,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    EmailMessage(
        subject=f"{reply.name} replied to your comment on “{reply.article.title}”",
        body=render_to_string("comments/email/reply.txt", context),
        to=[parent.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs offer their own button, and
            # a POST to the address unsubscribes without any further step.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def notify_published(*, comment):
    """Tell a commenter who asked for it that their held comment is now public."""
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_url": absolute(comment.get_absolute_url()),
    }
    send_mail(
        subject=f"Your comment on “{comment.article.title}” is published",
        message=render_to_string("comments/email/published.txt", context),
        from_email=None,
        recipient_list=[comment.email],
    )


def unsubscribe_token(email):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(email.strip().lower())


def email_from_unsubscribe_token(token):
    """The address a genuine token was made for, or None."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def unsubscribe(*, email):
    """Stop every reply e-mail to `email`; returns how many comments it covered."""
    return Comment.objects.filter(email__iexact=email, reply_emails_enabled=True).update(
        reply_emails_enabled=False
    )
