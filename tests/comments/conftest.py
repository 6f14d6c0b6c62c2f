import time

import pytest
from django.urls import reverse

from comments.groups import create_moderators_group
from comments.tokens import make_form_token

SAME_SITE = "http://testserver"


@pytest.fixture
def post_comment(client):
    """Post the comment form the way a reader's browser does: from our own page
    (Origin header), some seconds after the page was rendered."""

    def post(article, *, origin=SAME_SITE, token_age=30, ip="203.0.113.7", headers=None, **fields):
        data = {
            "name": "Ann Runner",
            "email": "ann@example.com",
            "website": "",
            "text": "Stairs hurt more than running did.",
            "token": make_form_token(article, rendered_at=time.time() - token_age),
            **fields,
        }
        extra = {"REMOTE_ADDR": ip, **(headers or {})}
        if origin:
            extra["HTTP_ORIGIN"] = origin
        return client.post(reverse("comments:post", args=[article.pk]), data, **extra)

    return post


@pytest.fixture
def moderator(django_user_model):
    """A staff member in the Moderators group (re-created here because tests
    that empty the database also empty what the data migration made)."""
    user = django_user_model.objects.create_user(
        "moderator", "moderator@example.com", "mod-pass-123", is_staff=True
    )
    user.groups.add(create_moderators_group())
    return user
