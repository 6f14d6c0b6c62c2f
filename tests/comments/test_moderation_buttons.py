"""The one-click buttons and keyboard help of the comment list and change
page, and who may use each new endpoint."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments import links
from comments.groups import create_moderators_group
from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def viewer(django_user_model):
    """Staff who may read comments but not change them."""
    user = django_user_model.objects.create_user("viewer", "viewer@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return user


@pytest.fixture
def editor(django_user_model):
    """Staff with no right over comments at all."""
    user = django_user_model.objects.create_user("edna", "edna@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return user


def new_endpoints(comment):
    """Every address this work added, with the methods it answers."""
    return [
        ("get", reverse("admin:comments_comment_reply", args=[comment.pk]), {}),
        (
            "post",
            reverse("admin:comments_comment_reply", args=[comment.pk]),
            {"text": "A reply from someone who may not post one."},
        ),
        ("get", links.link_path(comment, "approve"), {}),
        ("post", links.link_path(comment, "approve"), {}),
        ("get", links.link_path(comment, "spam"), {}),
        ("post", links.link_path(comment, "spam"), {}),
        ("post", reverse("admin:comments_comment_moderate"), {"approve": comment.pk}),
        ("post", reverse("admin:comments_comment_moderate"), {"remove": comment.pk}),
    ]


def test_each_row_has_approve_spam_remove_and_reply_buttons_with_their_keys(client, moderator):
    client.force_login(moderator)
    comment = CommentFactory(pending=True, name="Ann")

    html = client.get(reverse(CHANGELIST), {"status__exact": "pending"}).content.decode()

    row = html[html.index(f'value="{comment.pk}" class="action-select"') :]
    row = row[: row.index("</tr>")]
    buttons = re.findall(r'class="button comment-(\w+)"[^>]*aria-keyshortcuts="(\w)"', row)
    assert buttons == [("approve", "a"), ("mark_as_spam", "s"), ("remove", "d"), ("reply", "r")]
    # Reply opens the reply page through a form outside the list's own form,
    # keeping the list's filters for the way back.
    reply = reverse("admin:comments_comment_reply", args=[comment.pk])
    assert f'form="comment-reply-open" formaction="{reply}"' in row
    opener = html.index('<form id="comment-reply-open" method="get">')
    assert opener > html.index("</form>", html.index('id="changelist-form"'))
    assert 'name="_changelist_filters" value="status__exact=pending"' in html[opener:]


def test_the_list_shows_the_keyboard_help_and_loads_only_our_own_script(client, moderator):
    client.force_login(moderator)
    CommentFactory(pending=True)

    html = client.get(reverse(CHANGELIST)).content.decode()

    assert 'id="comment-shortcuts"' in html
    for key, meaning in [("j", "next"), ("k", "previous"), ("a", "approve"), ("s", "spam")]:
        assert f"<kbd>{key}</kbd> {meaning}" in html
    assert "<kbd>d</kbd> remove" in html
    assert "<kbd>r</kbd> reply" in html
    assert '<script src="/static/js/comment-moderation.js"></script>' in html
    inline = [tag for tag in re.findall(r"<script[^>]*>", html) if "src=" not in tag]
    assert inline == []


def test_staff_who_may_only_view_get_no_buttons_and_no_keyboard_help(client, viewer):
    client.force_login(viewer)
    comment = CommentFactory(pending=True)

    for url in (
        reverse(CHANGELIST),
        reverse("admin:comments_comment_change", args=[comment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assertNotContains(response, 'id="comment-shortcuts"')
        assertNotContains(response, "comment-reply")
        assertNotContains(response, 'form="comment-moderation"')


def test_the_change_page_has_reply_beside_the_buttons_and_the_reply_form_below(client, moderator):
    client.force_login(moderator)
    comment = CommentFactory(name="Ann")

    html = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()

    assert '<a href="#comment-reply" class="button comment-reply"' in html
    reply_form = html.index('id="comment-reply"')
    # The reply form is not inside the comment's own form.
    assert reply_form > html.index("</form>", html.index('id="comment_form"'))
    action = reverse("admin:comments_comment_reply", args=[comment.pk])
    assert f'action="{action}"' in html[reply_form - 200 :]
    assert 'name="csrfmiddlewaretoken"' in html[reply_form:]
    assertContains(client.get(action), "Reply to Ann")


@pytest.mark.parametrize("who", ["viewer", "editor"])
def test_staff_without_the_change_permission_get_403_from_every_new_endpoint(client, request, who):
    client.force_login(request.getfixturevalue(who))
    comment = CommentFactory(pending=True)

    for method, url, data in new_endpoints(comment):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Comment.objects.count() == 1
    assert comment.link_uses.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in_by_every_new_endpoint(client):
    comment = CommentFactory(pending=True)

    for method, url, data in new_endpoints(comment):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("admin:login")), url
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_every_new_post_needs_the_csrf_token(client, moderator):
    client.handler.enforce_csrf_checks = True
    client.force_login(moderator)
    comment = CommentFactory(pending=True)

    for method, url, data in new_endpoints(comment):
        if method == "post":
            assert client.post(url, data).status_code == 403, url
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert Comment.objects.count() == 1


def test_a_member_of_the_moderators_group_has_every_new_button(client, django_user_model):
    """The group's two permissions are enough: no new permission to hand out."""
    member = django_user_model.objects.create_user("mo", "mo@example.com", is_staff=True)
    member.groups.add(create_moderators_group())
    client.force_login(member)
    comment = CommentFactory(pending=True)

    reply = client.post(
        reverse("admin:comments_comment_reply", args=[comment.pk]), {"text": "Thanks, Ann."}
    )
    assert reply.status_code == 302
    link = client.post(links.link_path(CommentFactory(pending=True), "spam"))
    assert link.status_code == 302
    assert Comment.objects.filter(is_staff_reply=True).count() == 1
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 1
