"""What readers see under an article, on hub pages and on the reply page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

pytestmark = pytest.mark.django_db


def comments_section(response):
    html = response.content.decode()
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start) + len("</section>")]


def test_an_article_without_comments_says_be_the_first_to_comment(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assertInHTML(
        '<h2 id="comments-heading">Be the first to comment.</h2>', comments_section(response)
    )


def test_the_heading_counts_only_the_approved_comments(client):
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article)
    for status in ("pending", "spam", "removed"):
        CommentFactory(article=article, status=status, text=f"A {status} comment.")

    response = client.get(article.get_absolute_url())

    assertInHTML('<h2 id="comments-heading">3 Comments</h2>', comments_section(response))
    for status in ("pending", "spam", "removed"):
        assertNotContains(response, f"A {status} comment.")


def test_one_comment_is_counted_in_the_singular(client):
    comment = CommentFactory()
    response = client.get(comment.article.get_absolute_url())
    assertInHTML('<h2 id="comments-heading">1 Comment</h2>', comments_section(response))


def test_comments_show_oldest_first_with_name_date_permalink_and_reply_link(client):
    article = ArticleFactory()
    now = timezone.now()
    newer = CommentFactory(article=article, name="Newer", created_at=now - timedelta(hours=1))
    older = CommentFactory(article=article, name="Older", created_at=now - timedelta(days=2))

    section = comments_section(client.get(article.get_absolute_url()))

    assert section.index("Older") < section.index("Newer")
    for comment in (older, newer):
        assert f'id="comment-{comment.pk}"' in section
        assert f'href="#comment-{comment.pk}"' in section
        local = timezone.localtime(comment.created_at)
        # To the second: HTML allows no more than three digits of a second.
        assert f'<time datetime="{local:%Y-%m-%dT%H:%M:%S%z}">' in section
        reply_url = reverse("comments:reply", args=[comment.pk])
        assertInHTML(
            f'<a href="{reply_url}#comment-form" rel="nofollow" '
            f'aria-label="Reply to {comment.name}">Reply</a>',
            section,
        )


def test_the_commenters_website_links_their_name_as_user_content(client):
    comment = CommentFactory(name="Tom", website="https://example.com/tom")
    plain = CommentFactory(article=comment.article, name="Maria", website="")

    section = comments_section(client.get(comment.article.get_absolute_url()))

    assertInHTML(
        '<span class="comment-author"><a href="https://example.com/tom" '
        'rel="nofollow ugc noopener">Tom</a></span>',
        section,
    )
    assertInHTML(f'<span class="comment-author">{plain.name}</span>', section)


def test_the_commenters_email_never_appears_on_any_page(client):
    comment = CommentFactory(email="secret.runner@example.com")
    CommentFactory(article=comment.article, parent=comment, email="other.secret@example.com")
    category = comment.article.category

    for url in (
        comment.article.get_absolute_url(),
        reverse("comments:reply", args=[comment.pk]),
        category.get_absolute_url(),
        reverse("articles:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assertNotContains(response, "secret")


def test_comment_text_is_escaped_with_paragraphs_and_links_on_the_page(client):
    comment = CommentFactory(text="<script>alert(1)</script>\n\nSee https://example.com/x")
    section = comments_section(client.get(comment.article.get_absolute_url()))
    assert "<script>alert(1)</script>" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</p>" in section
    assert '<a href="https://example.com/x" rel="nofollow ugc noopener">' in section


def test_replies_are_nested_under_the_comment_they_answer(client):
    parent = CommentFactory(name="Maria")
    reply = CommentFactory(article=parent.article, parent=parent, name="Priya")

    section = comments_section(client.get(parent.article.get_absolute_url()))

    nested = re.search(
        rf'<li class="comment comment-depth-1" id="comment-{parent.pk}">.*?'
        rf'<ol class="comment-replies">\s*'
        rf'<li class="comment comment-depth-2" id="comment-{reply.pk}">',
        section,
        re.S,
    )
    assert nested


def test_the_form_has_visible_labels_and_posts_to_the_comment_endpoint(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    section = comments_section(response)
    for field, label in [
        ("name", "Name"),
        ("email", "Email"),
        ("website", "Website (optional)"),
        ("text", "Comment"),
        ("reply_emails_enabled", "Notify me of replies by e-mail"),
    ]:
        assertInHTML(f'<label for="id_{field}">{label}</label>', section)
    # The action jumps to the form, so a refused post opens at its errors.
    assert f'action="{reverse("comments:post", args=[article.pk])}#comment-form"' in section
    assert '<button type="submit" class="button">Post Comment</button>' in section


@pytest.mark.parametrize("closed_by", ["flag", "age"])
def test_a_closed_article_shows_its_comments_and_says_comments_are_closed(
    client, settings, closed_by
):
    if closed_by == "flag":
        article = ArticleFactory(comments_enabled=False)
    else:
        settings.COMMENTS_CLOSE_AFTER_DAYS = 30
        article = ArticleFactory(published_at=timezone.now() - timedelta(days=31))
    comment = CommentFactory(article=article, text="Written while it was open.")

    response = client.get(article.get_absolute_url())

    assertContains(response, "Written while it was open.")
    assertContains(response, '<p class="comments-closed">Comments are closed.</p>', html=True)
    assertNotContains(response, 'id="comment-form"')
    assertNotContains(response, reverse("comments:reply", args=[comment.pk]))


def test_the_article_page_is_the_same_for_every_anonymous_reader():
    article = ArticleFactory()
    CommentFactory(article=article)
    first = Client(REMOTE_ADDR="198.51.100.1", HTTP_USER_AGENT="Reader one")
    second = Client(REMOTE_ADDR="198.51.100.2", HTTP_USER_AGENT="Reader two")

    pages = [c.get(article.get_absolute_url()) for c in (first, second)]

    for response in pages:
        assert response.status_code == 200
        assert not response.cookies, "an article page must set no cookie"
        assert "Cookie" not in response.get("Vary", "")
        assertNotContains(response, "csrfmiddlewaretoken")
    # The only thing that may differ is the form token's render time.
    token = re.compile(r'name="token" value="[^"]*"')
    first_html, second_html = (token.sub("", r.content.decode()) for r in pages)
    assert first_html == second_html


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_costs_the_same_queries_whatever_the_number_of_comments(client, settings):
    settings.PAGE_CACHE_ENABLED = False  # measure renders, not cache hits
    settings.FRAGMENT_CACHE_ENABLED = False
    few, many = ArticleFactory(), ArticleFactory()
    CommentFactory(article=few)
    parent = None
    for _ in range(30):
        parent = CommentFactory(article=many, parent=parent if parent and parent.pk % 3 else None)

    assert query_count(client, few.get_absolute_url()) == query_count(
        client, many.get_absolute_url()
    )
    assert query_count(client, many.get_absolute_url()) <= 6


def test_hub_pages_show_each_listed_articles_approved_comment_count(
    client, django_assert_max_num_queries
):
    category = CategoryFactory()
    busy = ArticleFactory(category=category, title="Busy article")
    quiet = ArticleFactory(category=category, title="Quiet article")
    single = ArticleFactory(category=category, title="Single article")
    CommentFactory.create_batch(3, article=busy)
    CommentFactory(article=busy, pending=True)
    CommentFactory(article=single)
    ArticleFactory.create_batch(10, category=category)

    with django_assert_max_num_queries(5):
        response = client.get(category.get_absolute_url())

    html = response.content.decode()
    hub = html[: html.index('<aside class="sidebar"')]
    for article, label in [(busy, "3 Comments"), (quiet, "No comments yet"), (single, "1 Comment")]:
        assertInHTML(
            f'<a class="summary-comments" href="{article.get_absolute_url()}#comments">{label}'
            f'<span class="visually-hidden"> on {article.title}</span></a>',
            hub,
        )


def test_recent_articles_keep_exactly_their_fields(client):
    category = CategoryFactory()
    article = ArticleFactory(category=category)
    CommentFactory(article=article)

    html = client.get(category.get_absolute_url()).content.decode()
    sidebar = html[html.index('<aside class="sidebar"') :]

    assert "summary-comments" not in sidebar
    assert "Comment" not in sidebar


def test_the_reply_page_shows_the_comment_and_a_form_that_answers_it(client):
    parent = CommentFactory(name="Maria", text="Step-downs helped me.")

    response = client.get(reverse("comments:reply", args=[parent.pk]))

    assertContains(response, "<h1>Reply to Maria</h1>", html=True)
    assertContains(response, "Step-downs helped me.")
    assertContains(response, f'<input type="hidden" name="parent" value="{parent.pk}">', html=True)
    assertContains(response, '<meta name="robots" content="noindex">', html=True)
    assert not response.cookies


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_there_is_no_reply_page_for_a_comment_that_is_not_public(client, status):
    comment = CommentFactory(status=status)
    assert client.get(reverse("comments:reply", args=[comment.pk])).status_code == 404


def test_there_is_no_reply_page_for_a_comment_on_a_draft(client):
    comment = CommentFactory(article=ArticleFactory(draft=True))
    assert client.get(reverse("comments:reply", args=[comment.pk])).status_code == 404


def test_a_long_discussion_shows_the_newest_page_first_with_links_to_older_ones(client, settings):
    settings.COMMENTS_PER_PAGE = 3
    article = ArticleFactory()
    start = timezone.now() - timedelta(days=1)
    comments = [
        CommentFactory(
            article=article, text=f"Comment number {n}.", created_at=start + timedelta(minutes=n)
        )
        for n in range(7)
    ]
    url = article.get_absolute_url()

    def shown(response):
        return re.findall(r"Comment number (\d)\.", response.content.decode())

    newest = client.get(url)
    assert shown(newest) == ["4", "5", "6"]
    assertContains(newest, "7 Comments")
    assertContains(newest, 'href="?page=2#comments-heading">Older comments</a>')
    assertNotContains(newest, "Newer comments")

    oldest = client.get(url, {"page": 3})
    assert shown(oldest) == ["0"]
    assertContains(oldest, 'href="?page=2#comments-heading">Newer comments</a>')
    assertNotContains(oldest, "Older comments")

    assert client.get(url, {"page": 4}).status_code == 404
    assert client.get(url, {"page": "two"}).status_code == 404
    assert comments[0].page_url() == f"{url}?page=3#comment-{comments[0].pk}"
    assert comments[6].page_url() == f"{url}#comment-{comments[6].pk}"
    # The short permalink sends readers there.
    response = client.get(comments[0].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == comments[0].page_url()
