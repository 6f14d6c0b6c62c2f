"""The comment area and the "Was this page helpful?" section most readers get
are kept whole under the article's version (comments.templatetags.comments,
articles.templatetags.helpful), with the page cache off so each request
renders the page around them. A reader's own situation (a refused post, a
message about theirs, an answer just given) is never served from them."""

import re
import time

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from comments.tokens import form_token_problem
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_around_fragments(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


def form_token(response):
    form = response.content.decode().split('class="comment-form"', 1)[1]
    return re.search(r'name="token" value="([^"]+)"', form).group(1)


def test_a_rendered_page_reads_no_comment_and_builds_no_form_once_kept(
    client, django_assert_max_num_queries
):
    article = ArticleFactory()
    CommentFactory(article=article, text="Ice helped on day two.")
    assertContains(client.get(article.get_absolute_url()), "Ice helped on day two.")
    with django_assert_max_num_queries(1):
        again = client.get(article.get_absolute_url())
    assertContains(again, "Ice helped on day two.")
    assertContains(again, "1 Comment")
    assertContains(again, 'id="helpful-comment"')
    # The kept form's token is genuine and for this article: a minute later,
    # a reader's post with it is taken at face value.
    assert form_token_problem(form_token(again), article, now=time.time() + 60) == ""


def test_a_kept_area_token_is_accepted_like_a_cached_pages(client, settings, post_comment):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    token = form_token(client.get(article.get_absolute_url()))
    assert form_token_problem(token, article) == ""
    response = post_comment(article, token=token)
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_an_approved_comment_shows_at_once_in_the_kept_area(client):
    article = ArticleFactory()
    assertContains(client.get(article.get_absolute_url()), "Be the first to comment.")
    CommentFactory(article=article, text="Foam rolling, every night.")
    page = client.get(article.get_absolute_url())
    assertContains(page, "Foam rolling, every night.")
    assertContains(page, "1 Comment")
    assertNotContains(page, "Be the first to comment.")


def test_a_refused_post_shows_the_readers_own_text_and_errors_not_the_kept_form(
    client, post_comment
):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    refused = post_comment(article, email="not-an-address", text="My own words here.")
    assert refused.status_code == 400
    assertContains(refused, "My own words here.", status_code=400)
    assertContains(refused, "There is a problem", status_code=400)
    # The next reader still gets the empty form.
    page = client.get(article.get_absolute_url())
    assertNotContains(page, "My own words here.")
    assertNotContains(page, "There is a problem")


def test_the_message_about_a_readers_post_reaches_them_and_no_one_else(client, post_comment):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    posted = post_comment(article)
    followed = client.get(posted["Location"])
    assertContains(followed, "comment-status")
    # Another reader (no session) gets the kept area, without the message.
    other = client.__class__().get(article.get_absolute_url())
    assertNotContains(other, "comment-status")


def test_a_helpful_answer_is_thanked_only_for_the_reader_who_gave_it(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    client.get(url)
    thanked = client.get(url + "?helpful=thanks")
    assertContains(thanked, "Thank you for your answer.")
    assertNotContains(client.get(url), "Thank you for your answer.")
    assertContains(client.get(url), reverse("articles:helpful", args=[article.slug]))
