"""The comment form's signed timestamp.

Every copy of an article page carries a token saying which article it is and
when the page was rendered, signed with SECRET_KEY. It is the same for every
reader of that copy, so pages stay cacheable; a post is only taken at face
value when the token is genuine, for the same article, at least
COMMENTS_MIN_SUBMIT_SECONDS old (people take longer than that to write) and
no older than COMMENTS_FORM_MAX_AGE_SECONDS.
"""

import time

from django.conf import settings
from django.core import signing

SALT = "comments.form-token"


def make_form_token(article, *, rendered_at=None):
    rendered_at = int(time.time() if rendered_at is None else rendered_at)
    return signing.Signer(salt=SALT).sign_object({"article": article.pk, "at": rendered_at})


def form_token_problem(token, article, *, now=None):
    """Why `token` is not acceptable for a comment on `article`, or "" if it is."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token or "")
        article_pk, rendered_at = int(value["article"]), int(value["at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "The form's timestamp is missing or forged."
    if article_pk != article.pk:
        return "The form's timestamp belongs to another article."
    age = (time.time() if now is None else now) - rendered_at
    if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
        return f"Posted {max(age, 0):.0f} s after the page was shown, faster than a person writes."
    if age > settings.COMMENTS_FORM_MAX_AGE_SECONDS:
        return f"The form's timestamp expired ({age / 3600:.0f} hours old)."
    return ""
