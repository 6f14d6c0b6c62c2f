"""Moderators in the admin."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

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
        held_reason="Has 4 links (more than 2).",
    )
    other = CommentFactory()

    response = moderator_client.get(reverse(CHANGELIST))

    html = response.content.decode()
    headers = ("Comment", "Author", "Article", "Why held", "Status", "Moderate")
    for header in headers:
        assert f">{header}</a>" in html or f">{header}</span>" in html, header
    for value in (
        "Pending",
        comment.article.title,
        "Ann Runner",
        "ann@example.com",
        "203.0.113.7",
        "Has 4 links (more than 2).",
    ):
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
    assertNotContains(chosen, '<td class="field-on_article">Busy thread<')


# One comment's own buttons ------------------------------------------------------

MODERATE = "admin:comments_comment_moderate"
PENDING_LIST = "_changelist_filters=status__exact%3Dpending"


def moderate(client, comment, action, filters=PENDING_LIST, **extra):
    return client.post(f"{reverse(MODERATE)}?{filters}", {action: comment.pk}, **extra)


def test_each_row_has_buttons_that_belong_to_a_form_outside_the_list_form(moderator_client):
    pending = CommentFactory(pending=True, name="Ann")
    approved = CommentFactory(name="Bob")

    html = moderator_client.get(reverse(CHANGELIST), {"status__exact": "pending"}).content.decode()

    list_form_end = html.index("</form>", html.index('id="changelist-form"'))
    action = reverse(MODERATE) + "?" + PENDING_LIST
    moderation_form = html.index(f'<form id="comment-moderation" method="post" action="{action}">')
    assert moderation_form > list_form_end  # forms do not nest
    assert 'name="csrfmiddlewaretoken"' in html[moderation_form:]
    for name, label, key in [
        ("approve", "Approve", "a"),
        ("mark_as_spam", "Spam", "s"),
        ("remove", "Remove", "d"),
    ]:
        assertInHTML(
            f'<button type="submit" form="comment-moderation" name="{name}" '
            f'value="{pending.pk}" class="button comment-{name}" '
            f'aria-label="{label} Ann’s comment" aria-keyshortcuts="{key}">{label}</button>',
            html,
        )
    assert f'value="{approved.pk}"' not in html  # filtered out
    # A moderator may not delete, so is offered no Delete button.
    assert "comment-deletion" not in html
    assert ">Delete<" not in html
    # An approved comment offers no Approve.
    everything = moderator_client.get(reverse(CHANGELIST)).content.decode()
    assert f'name="approve" value="{approved.pk}"' not in everything
    assert f'name="mark_as_spam" value="{approved.pk}"' in everything


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("approve", "approved", "1 comment approved."),
        ("mark_as_spam", "spam", "1 comment marked as spam."),
        ("remove", "removed", "1 comment removed."),
    ],
)
def test_a_moderator_changes_one_comment_with_its_button_and_returns_to_the_filtered_list(
    moderator_client, client, action, status, message
):
    comment = CommentFactory(pending=True, text="Ice, then rest.")
    untouched = CommentFactory(article=comment.article, pending=True)

    response = moderate(moderator_client, comment, action)

    assert response.status_code == 302
    assert response.url == reverse(CHANGELIST) + "?status__exact=pending"
    assertContains(moderator_client.get(response.url), message)
    comment.refresh_from_db()
    untouched.refresh_from_db()
    assert (comment.status, untouched.status) == (status, "pending")
    page = client.get(comment.article.get_absolute_url())
    if status == "approved":
        assert comment.approved_at is not None
        assertContains(page, "Ice, then rest.")
    else:
        assertNotContains(page, "Ice, then rest.")


def test_the_moderation_buttons_accept_only_a_post_with_a_csrf_token(moderator, client):
    comment = CommentFactory(pending=True)
    client.force_login(moderator)
    assert client.get(reverse(MODERATE), {"approve": comment.pk}).status_code == 405

    client.handler.enforce_csrf_checks = True
    assert moderate(client, comment, "approve").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_staff_who_may_only_view_comments_cannot_moderate(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = CommentFactory(pending=True)

    assert moderate(client, comment, "approve").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"
    assertNotContains(client.get(reverse(CHANGELIST)), 'form="comment-moderation"')


def test_moderation_posts_that_make_no_sense_are_refused_not_errors(moderator_client):
    comment = CommentFactory(pending=True)
    url = reverse(MODERATE)
    assert moderator_client.post(url, {}).status_code == 400
    assert moderator_client.post(url, {"approve": "x"}).status_code == 400
    # Digits Python reads as a number that no id column holds.
    assert moderator_client.post(url, {"approve": "²"}).status_code == 400
    assert moderator_client.post(url, {"approve": "9" * 40}).status_code == 400
    both = {"approve": comment.pk, "remove": comment.pk}
    assert moderator_client.post(url, both).status_code == 400
    assert moderator_client.post(url, {"approve": 999_999}).status_code == 404
    odd = moderator_client.post(
        f"{url}?_changelist_filters=a%0D%0ALocation:x", {"approve": comment.pk}
    )
    assert odd.status_code == 302
    assert "\n" not in odd.url
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_delete_asks_on_djangos_own_page_and_returns_to_the_filtered_list(admin_client):
    comment = CommentFactory(pending=True)
    html = admin_client.get(reverse(CHANGELIST), {"status__exact": "pending"}).content.decode()
    delete = reverse("admin:comments_comment_delete", args=[comment.pk])
    assertInHTML(
        f'<button type="submit" form="comment-deletion" formaction="{delete}" '
        f'class="button comment-delete" aria-label="Delete {comment.name}’s comment">'
        "Delete</button>",
        html,
    )
    assertInHTML(
        '<form id="comment-deletion" method="get"><input type="hidden" '
        'name="_changelist_filters" value="status__exact=pending"></form>',
        html,
    )

    # What the button's form sends: Django's confirmation page first.
    confirm = admin_client.get(delete, {"_changelist_filters": "status__exact=pending"})
    assertContains(confirm, "Are you sure")
    assert Comment.objects.filter(pk=comment.pk).exists()

    response = admin_client.post(f"{delete}?{PENDING_LIST}", {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST) + "?status__exact=pending"
    assertContains(response, "was deleted successfully")
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_comments_change_page_has_the_same_buttons_outside_its_form(moderator_client):
    comment = CommentFactory(pending=True, name="Ann")
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    html = moderator_client.get(url, {"_changelist_filters": "status__exact=pending"})
    html = html.content.decode()

    moderation_form = html.index('<form id="comment-moderation"')
    assert moderation_form < html.index('id="comment_form"')
    assert f'action="{reverse(MODERATE)}?{PENDING_LIST}"' in html
    assert f'form="comment-moderation" name="approve" value="{comment.pk}"' in html
    response = moderate(moderator_client, comment, "approve")
    assert response.url == reverse(CHANGELIST) + "?status__exact=pending"
    comment.refresh_from_db()
    assert comment.status == "approved"
