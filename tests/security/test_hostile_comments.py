"""Every hostile string through every field of the comment and reply forms,
posted the way a browser posts them, then approved and shown."""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.moderation import change_status
from tests.factories import ArticleFactory
from tests.security.hostile import ALL, IDS, received, wire
from tests.security.pages import find, find_all, squash
from tests.security.reader import form_token, page_tree

pytestmark = pytest.mark.django_db

FIELDS = ["name", "email", "website", "text", "parent", "token", "subject", "reply_emails_enabled"]
# Fields a refused form shows again, so the reader loses nothing typed.
KEPT = {"name", "email", "website", "text"}


def comment_data(token, number, fields):
    return {
        "name": "Ann Runner",
        "email": f"ann{number}@example.com",
        "website": "",
        "text": f"An ordinary comment, number {number}.",
        "token": token,
        **fields,
    }


def shown_value(tree, field):
    """What the re-shown form holds in `field`, as the reader's browser reads it."""
    element = find(tree, name=field)
    if element.tag == "textarea":
        # The HTML parser drops the newline Django writes after <textarea>.
        return element.text().removeprefix("\n")
    return element.attrs.get("value") or ""


def assert_shown_as_text(tree, comment):
    """The comment's name, text and website are on the page exactly as stored."""
    element = find(tree, id=f"comment-{comment.pk}")
    assert element is not None, f"comment {comment.pk} is not on the page"
    author = find_all(element, "span", "comment-author")[0]
    assert squash(author.text()) == squash(comment.name)
    text = find_all(element, "div", "comment-text")[0]
    assert squash(text.text()) == squash(comment.text)
    if comment.website:
        assert find_all(author, "a")[0].attrs["href"] == comment.website


def post(reader, path, data, hostile):
    # The browser's name is read and stored too; a WSGI server hands header
    # bytes over as Latin-1, whatever they were.
    agent = wire(hostile).decode("latin-1")
    response = reader.post(path, data, HTTP_USER_AGENT=agent)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        tree = page_tree(response)
        assert find_all(tree, "ul", "errorlist"), "a refused comment must say why"
        for field in KEPT:
            assert shown_value(tree, field) == received(data[field]), field
    return response


@pytest.mark.parametrize("hostile", ALL, ids=IDS)
def test_a_hostile_string_in_any_comment_or_reply_field_is_stored_as_text_or_refused(
    reader, hostile
):
    article = ArticleFactory()
    # The string as the Disqus import (or a moderator's edit) could store it,
    # past the form's checks: readers answer it through its reply page.
    imported = Comment.objects.create(
        article=article,
        name=received(hostile).replace("\0", "")[:80] or "Ann",
        email="ann@example.com",
        text=received(hostile).replace("\0", "") or "Plain",
        status=Comment.Status.APPROVED,
    )
    post_url = reverse("comments:post", args=[article.pk])
    token = form_token(reader.get(article.get_absolute_url()))

    for number, field in enumerate(FIELDS):
        post(reader, post_url, comment_data(token, number, {field: hostile}), hostile)

    reply_page = reader.get(reverse("comments:reply", args=[imported.pk]))
    quoted = find_all(page_tree(reply_page), "blockquote", "comment-quoted")[0]
    assert squash(quoted.text()) == squash(imported.text)
    token = form_token(reply_page)
    replies = 0
    for number, field in enumerate(["text", "name", "website"], start=len(FIELDS)):
        data = comment_data(token, number, {"parent": imported.pk, field: hostile})
        replies += post(reader, post_url, data, hostile).status_code == 302

    # Everything stored, held or not, is approved and shown.
    change_status(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    tree = page_tree(reader.get(article.get_absolute_url()))
    for comment in Comment.objects.all():
        assert_shown_as_text(tree, comment)
    assert imported.replies.count() == replies
