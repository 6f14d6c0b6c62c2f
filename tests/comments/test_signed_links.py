"""The signed one-click Approve and Spam links in the moderator e-mail: a
confirmation page that changes nothing, a POST with CSRF that does, once,
within 7 days, and a clear page for every link that cannot be used."""

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments import links
from comments.models import Comment, ModerationLinkUse
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _moderator_addresses(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["mods@example.com"]
    settings.SITE_URL = "https://injury.example"


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def mailed_links(post_comment, mailoutbox, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(ArticleFactory(title="Shin splints"), **fields)
    (mail,) = mailoutbox
    found = dict(re.findall(r"^(Approve it|Mark it as spam): (\S+)$", mail.body, re.M))
    return Comment.objects.get(), found["Approve it"], found["Mark it as spam"]


def path_of(url):
    assert url.startswith("https://injury.example/")
    return urlsplit(url).path


def made_at(monkeypatch, moment, comment, action):
    """A link as it was made at `moment` (seconds since the epoch)."""
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: moment)
        return links.link_path(comment, action)


def test_the_moderator_email_carries_an_approve_and_a_spam_link(
    post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment, approve, spam = mailed_links(
        post_comment,
        mailoutbox,
        django_capture_on_commit_callbacks,
        text="Is it a stress fracture?",
    )

    assert approve != spam
    for url, action in ((approve, "approve"), (spam, "spam")):
        assert path_of(url).startswith(
            reverse("admin:comments_comment_link", args=[action, "x"])[: -len("x/")]
        )
    assert "it works once, for 7 days" in mailoutbox[0].body
    assert comment.status == Comment.Status.PENDING


def test_opening_a_link_shows_a_confirmation_and_changes_nothing(
    post_comment, mailoutbox, django_capture_on_commit_callbacks, moderator_client
):
    comment, approve, _spam = mailed_links(
        post_comment,
        mailoutbox,
        django_capture_on_commit_callbacks,
        text="Is it a stress fracture?",
    )

    page = moderator_client.get(path_of(approve))

    assert page.status_code == 200
    assertContains(page, "Is it a stress fracture?")
    assertContains(page, "Approve this comment? The link works once.")
    assertContains(page, '<form method="post" class="comment-link-confirm">')
    assertContains(page, 'name="csrfmiddlewaretoken"')
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not ModerationLinkUse.objects.exists()


@pytest.mark.parametrize(
    ("link", "status", "message"),
    [(1, Comment.Status.APPROVED, "approved"), (2, Comment.Status.SPAM, "spam")],
)
def test_confirming_applies_the_action_once_and_the_link_is_then_refused(
    post_comment,
    mailoutbox,
    django_capture_on_commit_callbacks,
    moderator_client,
    moderator,
    link,
    status,
    message,
):
    found = mailed_links(post_comment, mailoutbox, django_capture_on_commit_callbacks, name="Ann")
    comment, url = found[0], path_of(found[link])

    done = moderator_client.post(url, follow=True)

    assertContains(done, f"Ann’s comment is now {message}.")
    comment.refresh_from_db()
    assert comment.status == status
    use = ModerationLinkUse.objects.get()
    assert (use.comment, use.used_by) == (comment, moderator)

    # Used twice, the link is refused, whether opened or posted again.
    comment.status = Comment.Status.PENDING
    comment.save()
    for again in (moderator_client.get(url), moderator_client.post(url)):
        assert again.status_code == 410
        assertContains(again, "This link has already been used.", status_code=410)
        assertNotContains(again, "comment-link-confirm", status_code=410)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert ModerationLinkUse.objects.count() == 1


def test_a_link_works_for_seven_days_and_is_refused_after(moderator_client, monkeypatch):
    comment = CommentFactory(pending=True)
    now = time.time()
    fresh = made_at(
        monkeypatch, now - timedelta(days=6, hours=23).total_seconds(), comment, "approve"
    )
    late = made_at(monkeypatch, now - timedelta(days=7, minutes=1).total_seconds(), comment, "spam")

    refused = moderator_client.get(late)
    refused_post = moderator_client.post(late)

    for response in (refused, refused_post):
        assert response.status_code == 410
        assertContains(response, "This link has expired", status_code=410)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert moderator_client.get(fresh).status_code == 200
    assert moderator_client.post(fresh).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_link_changed_in_any_way_is_refused_with_a_clear_page(moderator_client):
    comment = CommentFactory(pending=True)
    other = CommentFactory(pending=True)
    token = links.make_token(comment, "approve")
    value, stamp, signature = token.split(":")
    link = "admin:comments_comment_link"
    tampered = [
        reverse(link, args=["spam", token]),  # an Approve link made into a Spam link
        reverse(link, args=["delete", token]),  # no such action
        reverse(link, args=["approve", f"{other.pk}:{stamp}:{signature}"]),  # another comment
        reverse(link, args=["approve", token[:-1] + ("A" if token[-1] != "A" else "B")]),
        reverse(link, args=["approve", token[:20]]),  # cut short
        reverse(link, args=["approve", "not-a-token"]),
        reverse(link, args=["approve", "%00%ff:1:x"]),
    ]

    for url in tampered:
        for response in (moderator_client.get(url), moderator_client.post(url)):
            assert response.status_code == 400, url
            assertContains(response, "This link is not valid", status_code=400)
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PENDING}
    assert not ModerationLinkUse.objects.exists()


def test_a_link_to_a_deleted_comment_says_so(moderator_client):
    comment = CommentFactory(pending=True)
    url = links.link_path(comment, "approve")
    comment.delete()

    response = moderator_client.get(url)

    assert response.status_code == 404
    assertContains(response, "has been deleted", status_code=404)


def test_a_link_to_a_comment_already_in_that_state_has_nothing_to_confirm(moderator_client):
    comment = CommentFactory(name="Ann")

    page = moderator_client.get(links.link_path(comment, "approve"))

    assertContains(page, "This comment is already approved: there is nothing to do.")
    assertNotContains(page, "comment-link-confirm")


def test_a_signed_out_moderator_signs_in_first_and_comes_back_to_the_confirmation(
    client, moderator
):
    moderator.set_password("mod-pass-123")
    moderator.save()
    comment = CommentFactory(pending=True)
    url = links.link_path(comment, "approve")

    response = client.get(url)

    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith(reverse("admin:login"))
    signed_in = client.post(
        login, {"username": "moderator", "password": "mod-pass-123", "next": url}
    )
    assert signed_in["Location"] == url
    assertContains(client.get(url), "Approve this comment?")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_link_posts_need_the_csrf_token(client, moderator):
    client.handler.enforce_csrf_checks = True
    client.force_login(moderator)
    comment = CommentFactory(pending=True)

    assert client.post(links.link_path(comment, "approve")).status_code == 403

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not ModerationLinkUse.objects.exists()
