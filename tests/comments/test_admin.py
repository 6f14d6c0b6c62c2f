"""Moderators in the admin."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.admin import RecentlyCommentedArticleFilter
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def test_the_data_migration_made_a_moderators_group_that_may_only_view_and_change_comments():
    group = Group.objects.get(name="Moderators")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("comments", "view_comment"),
        ("comments", "change_comment"),
    }


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("approve", "approved", "2 comments approved."),
        ("mark_as_spam", "spam", "2 comments marked as spam."),
        ("remove", "removed", "2 comments removed."),
    ],
)
def test_a_moderator_changes_comments_in_bulk(moderator_client, action, status, message):
    chosen = CommentFactory.create_batch(2, pending=True)
    untouched = CommentFactory(pending=True)

    response = moderator_client.post(
        reverse(CHANGELIST),
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in chosen]},
        follow=True,
    )

    assertContains(response, message)
    assert set(Comment.objects.filter(status=status).values_list("pk", flat=True)) >= {
        c.pk for c in chosen
    }
    untouched.refresh_from_db()
    assert untouched.status == "pending"


def test_a_moderator_cannot_touch_articles_nor_add_or_delete_comments(moderator_client):
    article = ArticleFactory()
    comment = CommentFactory(article=article)

    for name, args in [
        ("admin:articles_article_changelist", []),
        ("admin:articles_article_change", [article.pk]),
        ("admin:articles_category_changelist", []),
        ("admin:comments_comment_add", []),
        ("admin:comments_comment_delete", [comment.pk]),
        ("admin:auth_user_changelist", []),
    ]:
        assert moderator_client.get(reverse(name, args=args)).status_code == 403, name
    changelist = moderator_client.get(reverse(CHANGELIST))
    assert changelist.status_code == 200
    assertNotContains(changelist, 'value="delete_selected"')


def test_the_comment_list_shows_what_a_moderator_needs(moderator_client):
    comment = CommentFactory(
        pending=True,
        name="Ann Runner",
        email="ann@example.com",
        ip="203.0.113.7",
        text="A long comment about knees " * 10,
    )
    other = CommentFactory()

    response = moderator_client.get(reverse(CHANGELIST))

    html = response.content.decode()
    for header in ("Status", "Article", "Name", "E-mail", "Comment", "Posted", "IP address"):
        assert f">{header}</a>" in html or f">{header}</span>" in html, header
    for value in ("Pending", comment.article.title, "Ann Runner", "ann@example.com", "203.0.113.7"):
        assertContains(response, value)
    assertContains(response, "A long comment about knees A long comment about knees")
    assertNotContains(response, comment.text)  # only an excerpt
    thread = comment.article.get_absolute_url() + "#comments"
    assertContains(response, f'<a href="{thread}">View thread (not public)</a>', html=True)
    for choice in ("pending", "approved", "spam", "removed"):
        assertContains(response, f"?status__exact={choice}")
    for article in (comment.article, other.article):
        assertContains(response, f"?article__id__exact={article.pk}")
    for action in ("Approve", "Mark as spam", "Remove"):
        assertContains(response, f">{action}</option>")


def test_an_approved_comment_links_to_its_place_on_the_article(moderator_client):
    comment = CommentFactory()
    response = moderator_client.get(reverse(CHANGELIST))
    assertContains(response, f'<a href="{comment.get_absolute_url()}">View in place</a>', html=True)


def test_moderators_filter_by_status_and_article_and_search(moderator_client):
    knee = ArticleFactory(title="Knee article")
    CommentFactory(article=knee, name="Pending Polly", pending=True)
    CommentFactory(article=knee, name="Approved Alex")
    CommentFactory(name="Elsewhere Ed", pending=True, text="Shin splints question")

    by_status = moderator_client.get(reverse(CHANGELIST), {"status__exact": "pending"})
    assertContains(by_status, "Pending Polly")
    assertNotContains(by_status, "Approved Alex")

    by_article = moderator_client.get(reverse(CHANGELIST), {"article__id__exact": knee.pk})
    assertContains(by_article, "Approved Alex")
    assertNotContains(by_article, "Elsewhere Ed")

    searched = moderator_client.get(reverse(CHANGELIST), {"q": "shin splints"})
    assertContains(searched, "Elsewhere Ed")
    assertNotContains(searched, "Pending Polly")


def test_the_admin_index_shows_how_many_comments_await_moderation(moderator_client):
    CommentFactory.create_batch(3, pending=True)
    CommentFactory(spam=True)
    response = moderator_client.get(reverse("admin:index"))
    url = reverse(CHANGELIST) + "?status__exact=pending"
    assertContains(response, f'<a href="{url}">3 comments awaiting moderation</a>', html=True)


def test_the_pending_count_is_not_shown_to_staff_who_cannot_see_comments(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    CommentFactory(pending=True)
    assertNotContains(client.get(reverse("admin:index")), "awaiting moderation")


def test_approving_in_the_change_form_emails_the_commenter_replied_to(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(email="maria@example.com", reply_emails_enabled=True)
    reply = CommentFactory(article=parent.article, parent=parent, pending=True, text="Reply text")
    url = reverse("admin:comments_comment_change", args=[reply.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            url,
            {
                "status": "approved",
                "name": reply.name,
                "email": reply.email,
                "website": "",
                "text": "Reply text, typo fixed",
            },
        )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.status, reply.text) == ("approved", "Reply text, typo fixed")
    assert [mail.to for mail in mailoutbox] == [["maria@example.com"]]


def test_the_article_filter_offers_the_articles_of_recent_comments_not_the_whole_archive(
    moderator_client, django_assert_max_num_queries
):
    old = CommentFactory(created_at=timezone.now() - timedelta(days=400))
    busy = ArticleFactory(title="Busy thread")
    CommentFactory.create_batch(RecentlyCommentedArticleFilter.RECENT_COMMENTS - 1, article=busy)
    recent = CommentFactory()

    with django_assert_max_num_queries(12):
        response = moderator_client.get(reverse(CHANGELIST))
    assertContains(response, f"?article__id__exact={busy.pk}")
    assertContains(response, f"?article__id__exact={recent.article_id}")
    assertNotContains(response, f"?article__id__exact={old.article_id}")
    # An older article chosen by its address stays offered, and filters.
    chosen = moderator_client.get(reverse(CHANGELIST), {"article__id__exact": old.article_id})
    assertContains(chosen, f"?article__id__exact={old.article_id}")
    assertContains(chosen, old.name)
    assertNotContains(chosen, '<td class="field-article nowrap">Busy thread</td>')
