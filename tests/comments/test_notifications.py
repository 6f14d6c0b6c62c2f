"""E-mail to moderators and to commenters, and unsubscribing."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from comments.models import Comment
from comments.moderation import change_status
from comments.notifications import absolute, unsubscribe_token
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _moderator_addresses(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["mods@example.com", "owner@example.com"]
    settings.SITE_URL = "https://injury.example"


def test_moderators_are_emailed_after_commit_when_a_comment_waits(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Runner's Knee")
    with django_capture_on_commit_callbacks() as callbacks:
        post_comment(article, name="Ann", text="Is cycling fine while it heals?")
        assert mailoutbox == []  # nothing leaves before the comment is committed
    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    comment = Comment.objects.get()
    assert mail.to == ["mods@example.com", "owner@example.com"]
    assert mail.subject == "Comment awaiting moderation on “Runner's Knee”"
    assert "Is cycling fine while it heals?" in mail.body
    review = reverse("admin:comments_comment_change", args=[comment.pk])
    assert f"https://injury.example{review}" in mail.body


def test_nobody_is_emailed_about_spam_or_about_a_comment_approved_at_once(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    CommentFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(ArticleFactory(), subject="robot")
        post_comment(ArticleFactory(), email="known@example.com")
    assert Comment.objects.filter(status__in=["spam", "approved"]).count() == 3
    assert mailoutbox == []


def test_no_moderator_email_when_no_address_is_set(
    post_comment, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MODERATOR_EMAILS = []
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(ArticleFactory())
    assert mailoutbox == []


def reply_scene(*, notify=True, reply_email="priya@example.com"):
    parent = CommentFactory(
        name="Maria", email="maria@example.com", reply_emails_enabled=notify, text="Stairs hurt."
    )
    reply = CommentFactory(
        article=parent.article,
        parent=parent,
        name="Priya",
        email=reply_email,
        pending=True,
        text="How long until downhill running?",
    )
    return parent, reply


def approve(comment, callbacks_fixture):
    with callbacks_fixture(execute=True):
        return change_status(comments=Comment.objects.filter(pk=comment.pk), status="approved")


def test_a_commenter_who_asked_is_emailed_when_a_reply_is_approved_and_not_before(
    mailoutbox, django_capture_on_commit_callbacks
):
    parent, reply = reply_scene()
    assert mailoutbox == []  # the reply is only pending

    assert approve(reply, django_capture_on_commit_callbacks) == 1

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["maria@example.com"]
    assert mail.subject == f"Priya replied to your comment on “{parent.article.title}”"
    assert "How long until downhill running?" in mail.body
    assert f"https://injury.example{reply.get_absolute_url()}" in mail.body
    assert "priya@example.com" not in mail.body
    unsubscribe = "https://injury.example" + reverse(
        "comments:unsubscribe", kwargs={"token": unsubscribe_token("maria@example.com")}
    )
    assert unsubscribe in mail.body
    assert mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_reply_approved_again_after_being_removed_sends_no_second_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    _, reply = reply_scene()
    approve(reply, django_capture_on_commit_callbacks)
    change_status(comments=Comment.objects.filter(pk=reply.pk), status="removed")
    approve(reply, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("notify", "reply_email"),
    [(False, "priya@example.com"), (True, "Maria@Example.com")],
    ids=["did-not-ask", "own-reply"],
)
def test_no_reply_email_to_someone_who_did_not_ask_or_for_their_own_reply(
    mailoutbox, django_capture_on_commit_callbacks, notify, reply_email
):
    _, reply = reply_scene(notify=notify, reply_email=reply_email)
    approve(reply, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_a_reply_approved_at_once_emails_the_commenter_it_answers(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(email="maria@example.com", reply_emails_enabled=True)
    CommentFactory(email="ann@example.com")  # Ann is known, so her reply is approved at once
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(parent.article, parent=parent.pk, text="Thanks, Maria.")
    assert [mail.to for mail in mailoutbox] == [["maria@example.com"]]


def test_the_unsubscribe_link_asks_once_then_stops_every_reply_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    parent, reply = reply_scene()
    other = CommentFactory(email="MARIA@example.com", reply_emails_enabled=True)
    url = reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token("maria@example.com")})

    page = client.get(url)
    assertContains(page, "Stop e-mails about replies")
    assertContains(page, f'<form method="post" action="{url}">')
    assert Comment.objects.filter(reply_emails_enabled=True).count() == 2  # a visit changes nothing

    done = client.post(url)

    assertContains(done, "You are unsubscribed")
    assert not Comment.objects.filter(
        pk__in=[parent.pk, other.pk], reply_emails_enabled=True
    ).exists()
    approve(reply, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_mail_programs_can_unsubscribe_in_one_click_without_a_csrf_token():
    parent, _ = reply_scene()
    strict = Client(enforce_csrf_checks=True)
    url = reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(parent.email)})

    response = strict.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.reply_emails_enabled is False


def test_a_forged_unsubscribe_link_is_not_found(client):
    parent, _ = reply_scene()
    token = unsubscribe_token("someone@example.com")
    forged = re.sub(r":.*$", ":forged", token)
    assert client.get(reverse("comments:unsubscribe", kwargs={"token": forged})).status_code == 404
    assert client.post(reverse("comments:unsubscribe", kwargs={"token": forged})).status_code == 404
    parent.refresh_from_db()
    assert parent.reply_emails_enabled is True


def test_reply_links_point_at_the_development_server_while_site_url_is_unset(settings):
    settings.SITE_URL = ""
    assert absolute("/runners-knee/") == "http://127.0.0.1:8000/runners-knee/"
    settings.SITE_URL = "https://injury.example"
    assert absolute("/runners-knee/") == "https://injury.example/runners-knee/"
