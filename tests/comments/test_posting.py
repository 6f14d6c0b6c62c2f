"""Posting a comment: the form, and the spam and abuse checks in their order."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains, assertRedirects

from comments.checks import form_token_outlives_cached_pages, site_url_is_set_for_production
from comments.models import Comment
from comments.tokens import make_form_token
from tests.factories import ArticleFactory, CommentFactory
from tests.servers import run_manage, site_env

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."


def comment_area(response):
    html = response.content.decode()
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def test_a_posted_comment_waits_for_moderation_and_the_reader_is_told(client, post_comment):
    article = ArticleFactory()

    response = post_comment(article, text="Ice helped my knee.")

    assertRedirects(
        response, article.get_absolute_url() + "#comments", fetch_redirect_response=False
    )
    comment = Comment.objects.get()
    assert (comment.status, comment.article, comment.ip) == ("pending", article, "203.0.113.7")
    page = client.get(response.url)
    # The message sits beside the comments, not at the top of the page.
    assertInHTML(
        f'<p class="message comment-status" role="status">{AWAITING}</p>', comment_area(page)
    )
    assert page.content.decode().count(AWAITING) == 1
    assertNotContains(page, "Ice helped my knee.")
    assertNotContains(client.get(article.get_absolute_url()), AWAITING)


def test_the_comment_endpoint_needs_no_csrf_token(post_comment, client):
    client.handler.enforce_csrf_checks = True
    response = post_comment(ArticleFactory())
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_comment_on_a_draft_cannot_be_posted(post_comment):
    assert post_comment(ArticleFactory(draft=True)).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("method", ["get", "head"])
def test_the_post_address_opened_again_goes_on_to_the_article_comment_form(client, method):
    article = ArticleFactory()

    response = getattr(client, method)(reverse("comments:post", args=[article.pk]))

    assertRedirects(
        response,
        article.get_absolute_url() + "#comment-form",
        status_code=302,
        fetch_redirect_response=False,
    )


def test_the_post_address_refuses_other_methods_and_hides_drafts(client):
    article = ArticleFactory()
    assert client.put(reverse("comments:post", args=[article.pk])).status_code == 405
    assert client.delete(reverse("comments:post", args=[article.pk])).status_code == 405
    draft = ArticleFactory(draft=True)
    assert client.get(reverse("comments:post", args=[draft.pk])).status_code == 404


def error_summary(response):
    html = response.content.decode()
    start = html.index('<div class="error-summary"')
    return html[start : html.index("</div>", start) + len("</div>")]


def test_an_empty_post_is_shown_again_with_a_summary_linking_to_each_field(client, post_comment):
    article = ArticleFactory()

    response = post_comment(article, name="", email="", text="")

    assert response.status_code == 400
    assertInHTML(
        """<div class="error-summary" role="alert" tabindex="-1"
                aria-labelledby="error-summary-heading">
          <h4 id="error-summary-heading">There is a problem</h4>
          <ul class="errorlist error-summary-list">
            <li><a href="#id_name">Please give a name to show with your comment.</a></li>
            <li><a href="#id_email">Please give your e-mail address; it is never shown.</a></li>
            <li><a href="#id_text">Please write your comment.</a></li>
          </ul>
        </div>""",
        error_summary(response),
    )
    # The summary is the first thing in the form, which the address jumps to.
    form = comment_area(response).split('id="comment-form"', 1)[1]
    assert form.index("There is a problem") < form.index('id="id_name"')
    for field in ("name", "email", "text"):
        assert f'aria-describedby="id_{field}_error' in form or (
            field == "email" and 'aria-describedby="id_email_helptext id_email_error"' in form
        )
    # This page is this reader's own: never kept by a cache.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assertNotContains(client.get(article.get_absolute_url()), "There is a problem")


def test_a_refused_post_keeps_the_text_and_summarises_only_what_is_wrong(post_comment):
    response = post_comment(ArticleFactory(), name="", text="Ice, then rest & stretching.")

    assert response.status_code == 400
    assertContains(response, ">\nIce, then rest &amp; stretching.</textarea>", status_code=400)
    summary = error_summary(response)
    assert summary.count("<li>") == 1
    assert '<a href="#id_name">' in summary


def test_a_refusal_without_a_field_is_in_the_summary_too(post_comment):
    article = ArticleFactory()
    for number in range(5):
        post_comment(article, text=f"Comment number {number}")

    response = post_comment(article, text="The sixth.")

    assert response.status_code == 429
    assertInHTML(
        "<li>You have posted several comments in a short time. Please wait a minute and post "
        "again; your comment is still here.</li>",
        error_summary(response),
    )


def test_a_refused_reply_is_shown_again_on_the_reply_page_still_answering_its_comment(
    post_comment,
):
    parent = CommentFactory(name="Bob Jogger")

    response = post_comment(parent.article, parent=parent.pk, name="", text="Same for me.")

    assert response.status_code == 400
    assertContains(response, "<h1>Reply to Bob Jogger</h1>", html=True, status_code=400)
    assertContains(response, parent.text, status_code=400)  # the comment answered
    assertContains(
        response, f'<input type="hidden" name="parent" value="{parent.pk}">', status_code=400
    )
    assertContains(response, "Same for me.</textarea>", status_code=400)
    assert '<a href="#id_name">' in error_summary(response)
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.filter(text="Same for me.").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": "   "}, "text", "Please write your comment."),
        (
            {"text": "k" * 5001},
            "text",
            "Please shorten your comment to 5,000 characters; it has 5,001.",
        ),
        (
            {"email": "ann-at-example"},
            "email",
            "Enter a valid e-mail address, such as name@example.com.",
        ),
        ({"email": ""}, "email", "Please give your e-mail address; it is never shown."),
        ({"name": ""}, "name", "Please give a name to show with your comment."),
        (
            {"website": "javascript:alert(1)"},
            "website",
            "Enter a web address such as https://example.com.",
        ),
    ],
)
def test_an_invalid_comment_is_shown_again_with_every_field_kept_and_the_error_beside_it(
    post_comment, fields, field, message
):
    article = ArticleFactory()
    typed = {
        "name": "Ann <Runner>",
        "email": "ann@example.com",
        "website": "https://example.com/ann",
        "text": "Line one & two\n\nSecond paragraph.",
        "reply_emails_enabled": "on",
        **fields,
    }

    response = post_comment(article, **typed)

    assert response.status_code == 400
    assert not Comment.objects.exists()
    area = comment_area(response)
    assertInHTML(f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>', area)
    described_by = (
        f"id_{field}_helptext id_{field}_error" if field == "email" else f"id_{field}_error"
    )
    assert f'aria-describedby="{described_by}" id="id_{field}"' in area
    assert 'aria-invalid="true"' in area
    for name in ("name", "email", "website"):
        if typed[name]:
            assert f'name="{name}" value="{escape(typed[name])}"' in area
    assert f">\n{escape(typed['text'])}</textarea>" in area
    assert 'name="reply_emails_enabled" id="id_reply_emails_enabled" checked' in area
    # It is the article page itself, with everything else on it.
    assertContains(response, f"<h1>{article.title}</h1>", html=True, status_code=400)


def test_a_comment_of_exactly_five_thousand_characters_is_accepted(post_comment):
    assert post_comment(ArticleFactory(), text="k" * 5000).status_code == 302
    assert len(Comment.objects.get().text) == 5000


# 1. Cross-site posting --------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {"HTTP_ORIGIN": "null"},
        {},
    ],
    ids=["foreign-origin", "lookalike-origin", "foreign-referer", "null-origin", "no-headers"],
)
def test_a_post_from_another_site_is_refused_and_nothing_is_stored(post_comment, headers):
    response = post_comment(ArticleFactory(), origin=None, headers=headers)

    assert response.status_code == 403
    assertContains(response, "Your comment was not posted", status_code=403)
    assert not Comment.objects.exists()


def test_a_post_with_our_own_page_as_referer_is_accepted(post_comment):
    article = ArticleFactory()
    response = post_comment(
        article,
        origin=None,
        headers={"HTTP_REFERER": "http://testserver" + article.get_absolute_url()},
    )
    assert response.status_code == 302


def test_a_post_from_a_trusted_origin_is_accepted(post_comment, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.injury.example"]
    response = post_comment(ArticleFactory(), origin="https://www.injury.example")
    assert response.status_code == 302


# 2. Honeypot and signed timestamp ---------------------------------------------


def test_a_filled_honeypot_stores_the_comment_as_spam(post_comment):
    response = post_comment(ArticleFactory(), subject="Buy cheap shoes")

    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert "honeypot" in comment.held_reason
    # The robot is told the same as a person, and learns nothing.
    assert response.status_code == 302


def test_a_post_sooner_than_three_seconds_after_the_page_is_stored_as_spam(post_comment, settings):
    assert settings.COMMENTS_MIN_SUBMIT_SECONDS == 3  # the default
    post_comment(ArticleFactory(), token_age=1)

    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert "faster than a person writes" in comment.held_reason


def test_a_post_three_seconds_after_the_page_is_not_spam(post_comment):
    post_comment(ArticleFactory(), token_age=3)
    assert Comment.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "missing or forged"),
        ("eyJhcnRpY2xlIjoxLCJhdCI6MX0:forgedsignature", "missing or forged"),
        ("expired", "expired"),
        ("other-article", "another article"),
    ],
)
def test_a_missing_forged_expired_or_borrowed_timestamp_stores_the_comment_as_spam(
    post_comment, settings, token, reason
):
    article = ArticleFactory()
    if token == "expired":
        token = make_form_token(article, rendered_at=0)
    elif token == "other-article":
        token = make_form_token(ArticleFactory(), rendered_at=1_000)
        settings.COMMENTS_FORM_MAX_AGE_SECONDS = 10**10

    post_comment(article, token=token)

    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert reason in comment.held_reason


def test_the_form_timestamp_outlives_any_cached_copy_of_the_page(post_comment, settings):
    # The settings agree, and the system check guards that they keep agreeing.
    assert settings.COMMENTS_FORM_MAX_AGE_SECONDS > settings.PAGE_CACHE_TIMEOUT
    assert form_token_outlives_cached_pages(None) == []
    # A page rendered just as it was cached, served from the cache at the end
    # of its lifetime, and then read for an hour still takes the comment.
    post_comment(ArticleFactory(), token_age=settings.PAGE_CACHE_TIMEOUT + 3600)
    assert Comment.objects.get().status == "pending"


@pytest.mark.parametrize("cache_setting", ["PAGE_CACHE_TIMEOUT", "PAGE_CACHE_SHARED_MAX_AGE"])
def test_a_page_cache_lifetime_longer_than_the_form_timestamp_fails_the_system_check(
    settings, cache_setting
):
    setattr(settings, cache_setting, settings.COMMENTS_FORM_MAX_AGE_SECONDS)
    errors = form_token_outlives_cached_pages(None)
    assert [error.id for error in errors] == ["comments.E001"]


def test_manage_py_check_refuses_a_page_cache_that_outlives_the_comment_form():
    day = 24 * 3600
    env = site_env(PAGE_CACHE_TIMEOUT=3 * day, COMMENTS_FORM_MAX_AGE_SECONDS=2 * day)
    result = run_manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "comments.E001" in result.stderr
    assert f"page cache lifetime ({3 * day + 5} s)" in result.stderr


def test_the_comment_form_lifetime_follows_the_page_cache_lifetime_by_default():
    day = 24 * 3600
    env = site_env(PAGE_CACHE_TIMEOUT=3 * day)
    assert "comments.E001" not in run_manage("check", env=env).stderr
    lifetime = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.COMMENTS_FORM_MAX_AGE_SECONDS)",
        env=env,
    )
    assert int(lifetime.stdout) == 5 * day


def test_a_deployment_without_its_public_address_is_warned(settings):
    for unusable in ["", "http://127.0.0.1:8000"]:
        settings.SITE_URL = unusable
        assert [w.id for w in site_url_is_set_for_production(None)] == ["comments.W001"]
    settings.SITE_URL = "https://www.injury.example"
    assert site_url_is_set_for_production(None) == []


# 3. Rate limit ----------------------------------------------------------------


def test_more_than_five_posts_a_minute_from_one_address_get_429_with_the_text_kept(post_comment):
    article = ArticleFactory()
    for number in range(5):
        assert post_comment(article, text=f"Comment number {number}").status_code == 302

    response = post_comment(article, text="The sixth comment, kept for later.")

    assert response.status_code == 429
    assertContains(response, "Please wait a minute and post again", status_code=429)
    assertContains(response, "The sixth comment, kept for later.</textarea>", status_code=429)
    assert Comment.objects.count() == 5
    # Another address is not held back.
    assert post_comment(article, text="From elsewhere", ip="198.51.100.9").status_code == 302


def test_the_rate_limit_counts_the_address_a_trusted_proxy_reports(post_comment, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory()
    for number in range(6):
        forwarded = {"HTTP_X_FORWARDED_FOR": f"10.0.0.1, 198.51.100.{number}"}
        assert post_comment(article, text=f"Post {number}", headers=forwarded).status_code == 302
    assert set(Comment.objects.values_list("ip", flat=True)) == {
        f"198.51.100.{number}" for number in range(6)
    }


# 4. Links and word lists ------------------------------------------------------


@pytest.fixture
def known_reader():
    """A reader whose earlier comment was approved, so a clean comment of theirs
    is approved at once: anything held shows as pending."""
    return CommentFactory(email="known@example.com").email


def test_more_links_than_allowed_hold_the_comment_for_moderation(post_comment, known_reader):
    article = ArticleFactory()
    post_comment(article, email=known_reader, text="See https://a.example and https://b.example")
    post_comment(
        article, email=known_reader, text="https://a.example https://b.example www.c.example"
    )

    statuses = dict(Comment.objects.filter(article=article).values_list("text", "status"))
    assert statuses == {
        "See https://a.example and https://b.example": "approved",
        "https://a.example https://b.example www.c.example": "pending",
    }
    assert Comment.objects.get(status="pending").held_reason == "Has 3 links (more than 2)."


def test_a_word_from_the_moderation_list_holds_the_comment(post_comment, settings, known_reader):
    settings.COMMENTS_MODERATION_WORDS = ["miracle cure"]
    post_comment(ArticleFactory(), email=known_reader, text="This Miracle Cure fixed me!")
    comment = Comment.objects.get(text__contains="Miracle")
    assert comment.status == "pending"
    assert "moderation list" in comment.held_reason


def test_a_word_within_another_word_does_not_count(post_comment, settings, known_reader):
    settings.COMMENTS_BLOCK_WORDS = ["cialis"]
    post_comment(ArticleFactory(), email=known_reader, text="My physio specialises in knees.")
    assert Comment.objects.get(text__contains="physio").status == "approved"


def test_a_word_from_the_block_list_stores_the_comment_as_spam(post_comment, settings):
    settings.COMMENTS_BLOCK_WORDS = ["casino"]
    response = post_comment(ArticleFactory(), name="Best CASINO bonus")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert "block list" in comment.held_reason


# 5. Duplicates ----------------------------------------------------------------


def test_the_same_text_from_the_same_address_on_the_same_article_is_refused(post_comment):
    article = ArticleFactory()
    assert post_comment(article, text="Rest helped.").status_code == 302

    response = post_comment(article, email="ANN@example.com", text="  Rest   helped. ")

    assert response.status_code == 400
    assertContains(response, "You have already posted this comment here.", status_code=400)
    assert Comment.objects.count() == 1
    # The same words elsewhere, or from someone else, are fine.
    assert post_comment(ArticleFactory(), text="Rest helped.").status_code == 302
    assert post_comment(article, email="bob@example.com", text="Rest helped.").status_code == 302
    assert Comment.objects.count() == 3


# 6. Known addresses -----------------------------------------------------------


def test_an_address_with_an_approved_comment_is_approved_at_once(client, post_comment):
    CommentFactory(email="ann@example.com")
    article = ArticleFactory()

    response = post_comment(article, email="Ann@Example.com", text="Back again!")

    comment = Comment.objects.get(text="Back again!")
    assert comment.status == "approved"
    assertRedirects(
        response, article.get_absolute_url() + comment.anchor, fetch_redirect_response=False
    )
    page = client.get(article.get_absolute_url())
    assertContains(page, "Back again!")
    assertContains(page, "Thank you: your comment is published.")


@pytest.mark.parametrize("earlier", ["pending", "spam", "removed"])
def test_an_address_whose_comments_were_never_approved_waits(post_comment, earlier):
    CommentFactory(email="ann@example.com", status=earlier)
    post_comment(ArticleFactory(), text="Hello again.")
    assert Comment.objects.get(text="Hello again.").status == "pending"


def test_approving_known_addresses_at_once_can_be_switched_off(post_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN_EMAILS = False
    CommentFactory(email="ann@example.com")
    post_comment(ArticleFactory(), text="Hello again.")
    assert Comment.objects.get(text="Hello again.").status == "pending"


# The order of the checks ------------------------------------------------------


def test_the_honeypot_is_checked_before_the_rate_limit(post_comment):
    article = ArticleFactory()
    for number in range(5):
        post_comment(article, text=f"Comment {number}")
    response = post_comment(article, text="Robot text", subject="filled")
    assert response.status_code == 302
    assert Comment.objects.get(text="Robot text").status == "spam"


def test_the_rate_limit_is_checked_before_duplicates(post_comment):
    article = ArticleFactory()
    for _ in range(5):
        post_comment(article, text="Same again")
    assert post_comment(article, text="Same again").status_code == 429


def test_the_block_list_wins_over_the_link_limit(post_comment, settings):
    settings.COMMENTS_BLOCK_WORDS = ["casino"]
    post_comment(
        ArticleFactory(), text="casino https://a.example https://b.example https://c.example"
    )
    assert Comment.objects.get().status == "spam"


def test_a_closed_article_refuses_a_post_and_says_so(post_comment):
    article = ArticleFactory(comments_enabled=False)
    response = post_comment(article)
    assert response.status_code == 403
    assertContains(response, "Comments on this article are closed", status_code=403)
    assertContains(response, "Stairs hurt more than running did.", status_code=403)
    assert not Comment.objects.exists()


# Replies ----------------------------------------------------------------------


def test_a_reply_is_stored_under_the_comment_it_answers(post_comment):
    parent = CommentFactory()
    post_comment(parent.article, parent=parent.pk, text="Same for me.")
    assert Comment.objects.get(text="Same for me.").parent == parent


@pytest.mark.parametrize("target", ["pending", "other-article", "missing"])
def test_a_reply_to_a_comment_that_is_not_shown_is_offered_as_a_plain_comment(post_comment, target):
    article = ArticleFactory()
    parent = {
        "pending": lambda: CommentFactory(article=article, pending=True).pk,
        "other-article": lambda: CommentFactory().pk,
        "missing": lambda: 999_999,
    }[target]()

    response = post_comment(article, parent=parent, text="My answer, kept.")

    assert response.status_code == 400
    assertContains(response, "The comment you replied to is no longer shown", status_code=400)
    assertContains(response, "My answer, kept.</textarea>", status_code=400)
    assertNotContains(response, 'name="parent"', status_code=400)
    assert not Comment.objects.filter(text="My answer, kept.").exists()
