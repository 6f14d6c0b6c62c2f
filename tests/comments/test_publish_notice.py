"""“Tell me when it is published”: one e-mail to a commenter whose held
comment is approved, and never more, nor for spam or removed comments."""

import re
import smtplib

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.mail.backends import locmem
from django.test import Client
from django.urls import reverse

from comments import links
from comments.models import Comment
from comments.moderation import change_status
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Your comment on “Runner's Knee” is published"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://injury.example"


@pytest.fixture
def article():
    return ArticleFactory(title="Runner's Knee")


def held_comment(post_comment, article, **fields):
    response = post_comment(article, publish_notice_enabled="on", **fields)
    assert response.status_code == 302
    comment = Comment.objects.get(text=fields.get("text", "Stairs hurt more than running did."))
    assert comment.status == Comment.Status.PENDING
    return comment


def set_status(comment, status, callbacks):
    with callbacks(execute=True):
        change_status(comments=Comment.objects.filter(pk=comment.pk), status=status)


def publish_notices(mailoutbox):
    return [mail for mail in mailoutbox if mail.subject.startswith("Your comment on")]


def test_the_public_form_offers_the_box_as_a_plain_checkbox_with_its_explanation(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    box = re.search(r'<input type="checkbox" name="publish_notice_enabled"[^>]*>', html)
    assert box, "no checkbox"
    assert 'id="id_publish_notice_enabled"' in box.group(0)
    assert 'aria-describedby="id_publish_notice_enabled_helptext"' in box.group(0)
    assert '<label for="id_publish_notice_enabled">Tell me when it is published</label>' in html
    assert "If your comment has to wait for a moderator, you get one e-mail" in html
    # Inside the comment form, which posts without any script.
    form = html[
        html.index('<form class="comment-form"') : html.index(
            "</form>", html.index('<form class="comment-form"')
        )
    ]
    assert 'name="publish_notice_enabled"' in form


def test_a_held_comment_that_is_approved_mails_its_author_once(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks
):
    comment = held_comment(post_comment, article, name="Ann", email="ann@example.com")

    set_status(comment, Comment.Status.APPROVED, django_capture_on_commit_callbacks)

    (mail,) = publish_notices(mailoutbox)
    assert mail.to == ["ann@example.com"]
    assert mail.subject == SUBJECT
    assert "Hello Ann," in mail.body
    assert "Stairs hurt more than running did." in mail.body
    assert f"https://injury.example{comment.get_absolute_url()}" in mail.body
    comment.refresh_from_db()
    assert comment.publish_notice_sent_at is not None

    # Taken down and approved again: no second e-mail.
    set_status(comment, Comment.Status.PENDING, django_capture_on_commit_callbacks)
    set_status(comment, Comment.Status.APPROVED, django_capture_on_commit_callbacks)
    set_status(comment, Comment.Status.REMOVED, django_capture_on_commit_callbacks)
    set_status(comment, Comment.Status.APPROVED, django_capture_on_commit_callbacks)
    assert len(publish_notices(mailoutbox)) == 1


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.REMOVED])
def test_spam_and_removed_comments_send_nothing(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks, status
):
    comment = held_comment(post_comment, article)

    set_status(comment, status, django_capture_on_commit_callbacks)

    assert publish_notices(mailoutbox) == []
    comment.refresh_from_db()
    assert comment.publish_notice_sent_at is None


def test_a_comment_rescued_from_spam_is_announced_when_approved(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks
):
    comment = held_comment(post_comment, article)
    set_status(comment, Comment.Status.SPAM, django_capture_on_commit_callbacks)

    set_status(comment, Comment.Status.APPROVED, django_capture_on_commit_callbacks)

    assert len(publish_notices(mailoutbox)) == 1


def test_without_the_box_ticked_nothing_is_sent(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks
):
    post_comment(article)
    comment = Comment.objects.get()
    assert not comment.publish_notice_enabled

    set_status(comment, Comment.Status.APPROVED, django_capture_on_commit_callbacks)

    assert publish_notices(mailoutbox) == []


def test_a_comment_published_at_once_needs_no_email(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks
):
    CommentFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(article, email="known@example.com", publish_notice_enabled="on")

    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"].endswith(comment.anchor)  # the reader sees it published
    assert publish_notices(mailoutbox) == []


def test_approval_from_the_list_button_a_signed_link_or_a_staff_reply_each_tell_the_author(
    post_comment,
    article,
    mailoutbox,
    django_capture_on_commit_callbacks,
    client,
    moderator,
):
    first = held_comment(post_comment, article, text="First question.")
    second = held_comment(post_comment, article, text="Second question.", ip="203.0.113.8")
    third = held_comment(post_comment, article, text="Third question.", ip="203.0.113.9")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:comments_comment_moderate"), {"approve": first.pk})
        client.post(links.link_path(second, "approve"))
        client.post(reverse("admin:comments_comment_reply", args=[third.pk]), {"text": "Answered."})

    notices = publish_notices(mailoutbox)
    assert len(notices) == 3
    assert sorted(mail.body.split("\n\n")[2] for mail in notices) == [
        "First question.",
        "Second question.",
        "Third question.",
    ]
    assert Client().get(article.get_absolute_url()).content.decode().count("question.") == 3


@pytest.mark.django_db(transaction=True)
def test_an_approval_stands_when_the_publish_email_cannot_be_sent(
    post_comment, article, client, moderator, monkeypatch
):
    comment = held_comment(post_comment, article)
    second = held_comment(post_comment, article, text="A second one.", ip="203.0.113.8")

    def refuse(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)
    client.force_login(moderator)

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [comment.pk, second.pk]},
        follow=True,
    )

    assert "2 comments approved." in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.APPROVED}


def test_a_bulk_approval_tells_each_author_about_their_own_comment(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks
):
    ann = held_comment(post_comment, article, email="ann@example.com", text="Ann's question.")
    bob = held_comment(
        post_comment, article, email="bob@example.com", text="Bob's question.", ip="203.0.113.8"
    )

    with django_capture_on_commit_callbacks(execute=True):
        change_status(
            comments=Comment.objects.filter(pk__in=[ann.pk, bob.pk]),
            status=Comment.Status.APPROVED,
        )

    sent = {mail.to[0]: mail.body for mail in publish_notices(mailoutbox)}
    assert set(sent) == {"ann@example.com", "bob@example.com"}
    assert "Ann's question." in sent["ann@example.com"]
    assert "Bob's question." in sent["bob@example.com"]
