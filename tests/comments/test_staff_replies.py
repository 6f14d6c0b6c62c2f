"""Replies the site's team writes in the admin: stored approved, marked as
the site's, optionally pinned, shown at once, and mailed like any reply."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(moderator):
    moderator.first_name, moderator.last_name = "Molly", "Moderator"
    moderator.email = "molly@clinic.example"
    moderator.save()
    return moderator


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def reply_url(comment):
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def comments_section(html):
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def test_a_reply_from_the_change_page_is_stored_approved_as_the_site_teams(
    moderator_client, moderator
):
    question = CommentFactory(name="Ann", text="Can I run with a knee sleeve?")

    response = moderator_client.post(
        reply_url(question), {"text": "Yes, for short easy runs at first."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:comments_comment_change", args=[question.pk])
    reply = Comment.objects.get(parent=question)
    assert reply.status == Comment.Status.APPROVED
    assert reply.approved_at is not None
    assert reply.is_staff_reply
    assert reply.staff_user == moderator
    assert reply.name == "Molly Moderator"
    assert reply.article == question.article
    assert not reply.is_pinned
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [
        f'Reply to Ann published. <a href="{reply.get_absolute_url()}">View it in place</a>'
    ]


def test_the_article_shows_a_staff_reply_at_once_with_the_site_team_badge(moderator_client):
    question = CommentFactory(name="Ann", text="Can I run with a knee sleeve?")
    article_url = question.article.get_absolute_url()
    reader = Client()
    reader.get(article_url)
    cached = reader.get(article_url)
    assert cached["X-Page-Cache"] == "hit"
    assertNotContains(cached, "Site team")

    moderator_client.post(reply_url(question), {"text": "Yes, for short easy runs at first."})

    page = reader.get(article_url)
    assert page["X-Page-Cache"] == "miss"
    section = comments_section(page.content.decode())
    reply = Comment.objects.get(parent=question)
    item = re.search(
        rf'<li class="comment comment-depth-2 comment-staff" id="comment-{reply.pk}">'
        r".*?</header>",
        section,
        re.S,
    )
    assert item, section
    assert "Molly Moderator" in item.group(0)
    assert '<span class="comment-badge">Site team</span>' in item.group(0)
    assert "Yes, for short easy runs at first." in section
    # Only the team's reply carries the badge.
    assert section.count("comment-badge") == 1


def test_a_reader_cannot_post_as_the_site_team(post_comment):
    article = ArticleFactory()

    post_comment(article, name="Site team", is_staff_reply="on", is_pinned="on")

    comment = Comment.objects.get()
    assert not comment.is_staff_reply
    assert not comment.is_pinned
    assert comment.staff_user is None


def test_a_pinned_reply_comes_first_in_its_thread(moderator_client):
    question = CommentFactory(name="Ann")
    earlier = [
        CommentFactory(article=question.article, parent=question, name=f"Reader {number}")
        for number in range(2)
    ]
    other_thread = CommentFactory(article=question.article, name="Bob")
    cat = CommentFactory(article=question.article, parent=other_thread, name="Cat")

    moderator_client.post(
        reply_url(question), {"text": "See a physio if it swells.", "is_pinned": "on"}
    )

    reply = Comment.objects.get(is_staff_reply=True)
    assert reply.is_pinned
    section = comments_section(Client().get(question.article.get_absolute_url()).content.decode())
    order = [int(pk) for pk in re.findall(r'id="comment-(\d+)"', section)]
    assert order == [question.pk, reply.pk, earlier[0].pk, earlier[1].pk, other_thread.pk, cat.pk]
    assertContains(Client().get(question.article.get_absolute_url()), "Pinned", count=1)


def test_an_unpinned_reply_keeps_its_place_and_unpinning_takes_effect_at_once(
    moderator_client, moderator
):
    question = CommentFactory()
    earlier = CommentFactory(article=question.article, parent=question)
    moderator_client.post(reply_url(question), {"text": "Pinned for now.", "is_pinned": "on"})
    reply = Comment.objects.get(is_staff_reply=True)
    reader = Client()
    url = question.article.get_absolute_url()
    first = [int(pk) for pk in re.findall(r'id="comment-(\d+)"', reader.get(url).content.decode())]
    assert first.index(reply.pk) < first.index(earlier.pk)

    reply.is_pinned = False
    reply.save()

    later = [int(pk) for pk in re.findall(r'id="comment-(\d+)"', reader.get(url).content.decode())]
    assert later.index(earlier.pk) < later.index(reply.pk)


def test_replying_to_a_waiting_comment_approves_it_first(moderator_client):
    question = CommentFactory(pending=True, name="Ann")
    form = moderator_client.get(reverse("admin:comments_comment_change", args=[question.pk]))
    assertContains(form, "Approve and post reply")

    moderator_client.post(reply_url(question), {"text": "Thanks, approved and answered."})

    question.refresh_from_db()
    assert question.status == Comment.Status.APPROVED
    section = comments_section(Client().get(question.article.get_absolute_url()).content.decode())
    reply = Comment.objects.get(is_staff_reply=True)
    assert section.index(f'id="comment-{question.pk}"') < section.index(f'id="comment-{reply.pk}"')


def test_the_commenter_gets_the_usual_reply_email_when_they_asked_for_it(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://injury.example"
    asked = CommentFactory(name="Ann", email="ann@example.com", reply_emails_enabled=True)
    silent = CommentFactory(article=asked.article, email="bob@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(reply_url(asked), {"text": "Ice it for ten minutes."})
        moderator_client.post(reply_url(silent), {"text": "Thanks, Bob."})

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ann@example.com"]
    assert mail.subject == f"Molly Moderator replied to your comment on “{asked.article.title}”"
    assert "Ice it for ten minutes." in mail.body
    reply = Comment.objects.get(parent=asked)
    assert f"https://injury.example{reply.get_absolute_url()}" in mail.body
    assert "List-Unsubscribe" in mail.extra_headers


def test_an_empty_or_too_long_reply_is_shown_again_with_the_text_kept(moderator_client):
    question = CommentFactory(name="Ann")

    empty = moderator_client.post(reply_url(question), {"text": "   "})
    long_text = "Rest. " * 1000
    too_long = moderator_client.post(reply_url(question), {"text": long_text, "is_pinned": "on"})

    assert empty.status_code == 400
    assertContains(empty, "Please write your reply.", status_code=400)
    assert too_long.status_code == 400
    assertContains(too_long, "Please shorten your reply to 5,000 characters", status_code=400)
    assertContains(too_long, long_text.strip(), status_code=400)
    assertContains(too_long, 'id="id_is_pinned" checked', status_code=400)
    assert not Comment.objects.filter(is_staff_reply=True).exists()


def test_a_second_click_on_post_reply_does_not_post_it_twice(moderator_client):
    question = CommentFactory()
    other = CommentFactory(article=question.article)
    data = {"text": "Thank you!"}

    moderator_client.post(reply_url(question), data)
    again = moderator_client.post(reply_url(question), data, follow=True)
    moderator_client.post(reply_url(other), data)

    assertContains(again, "You have already posted this reply.")
    # The same words to another commenter are a reply of their own.
    assert Comment.objects.filter(is_staff_reply=True).count() == 2


def test_a_reply_from_the_list_comes_back_to_the_list_as_it_was_filtered(moderator_client):
    question = CommentFactory(pending=True, name="Ann")
    filters = "status__exact=pending"

    page = moderator_client.get(
        reply_url(question), {"_from": "list", "_changelist_filters": filters}
    )
    assertContains(page, "Approve and reply to Ann")
    assertContains(page, "autofocus")
    html = page.content.decode()
    action = re.search(r'<form class="comment-reply-form[^>]*action="([^"]+)"', html).group(1)
    assert action == reply_url(question) + "?_changelist_filters=status__exact%3Dpending"

    response = moderator_client.post(
        action.replace("&amp;", "&"), {"text": "Answered.", "_from": "list"}
    )

    assert response["Location"] == reverse("admin:comments_comment_changelist") + "?" + filters


def test_the_change_page_says_who_wrote_a_staff_reply(moderator_client, moderator):
    question = CommentFactory()
    moderator_client.post(reply_url(question), {"text": "From the team."})
    reply = Comment.objects.get(is_staff_reply=True)

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[reply.pk]))

    assertContains(page, "The site team: moderator")
    listing = moderator_client.get(reverse("admin:comments_comment_changelist"))
    assertContains(listing, '<span class="comment-badge">Site team</span>', count=1)


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_staff_replies_cost_no_extra_queries_on_the_article_page(moderator_client, settings):
    plain, answered = ArticleFactory(), ArticleFactory()
    CommentFactory.create_batch(6, article=plain)
    for question in CommentFactory.create_batch(3, article=answered):
        moderator_client.post(reply_url(question), {"text": "Answered.", "is_pinned": "on"})
    settings.PAGE_CACHE_ENABLED = False  # measure renders, not cache hits
    settings.FRAGMENT_CACHE_ENABLED = False
    reader = Client()

    plain_queries, _page = query_count(reader, plain.get_absolute_url())
    answered_queries, page = query_count(reader, answered.get_absolute_url())

    assert answered_queries == plain_queries <= 4  # tests/articles/test_query_budgets.py
    assertContains(page, '<span class="comment-badge">Site team</span>', count=3)


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.REMOVED])
def test_spam_and_removed_comments_get_no_reply_form_and_no_reply(moderator_client, status):
    comment = CommentFactory(status=status, name="Ann")
    change = reverse("admin:comments_comment_change", args=[comment.pk])

    page = moderator_client.get(change)
    listing = moderator_client.get(reverse("admin:comments_comment_changelist"))
    refused = moderator_client.post(reply_url(comment), {"text": "Hello."}, follow=True)

    assertNotContains(page, 'id="comment-reply"')
    assertNotContains(page, 'class="button comment-reply"')
    assertNotContains(listing, 'class="button comment-reply"')
    assert refused.redirect_chain == [(change, 302)]
    assertContains(refused, f"Ann’s comment is {status.label.lower()}: approve it first")
    comment.refresh_from_db()
    assert comment.status == status
    assert not Comment.objects.filter(is_staff_reply=True).exists()


def test_a_reader_using_a_team_members_address_is_not_approved_on_its_strength(
    moderator_client, post_comment
):
    question = CommentFactory()
    moderator_client.post(reply_url(question), {"text": "From the team."})
    article = ArticleFactory()

    post_comment(article, email="MOLLY@clinic.example", text="Buy cheap pills here.")

    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
