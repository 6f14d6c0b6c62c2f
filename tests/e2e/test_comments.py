"""A comment's whole life in Chromium: posted, held, approved in the admin,
shown, and answered with a reply that nests under it."""

import re

from playwright.sync_api import expect

from comments.groups import create_moderators_group
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

AWAITING = "Your comment is awaiting moderation."


def post_comment(page, *, name, email, text, notify=False, remember=False):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Comment", exact=True).fill(text)
    if notify:
        page.get_by_label("Notify me of replies by e-mail").check()
    if remember:
        page.get_by_label("Remember my name, e-mail and website in this browser").check()
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment-status")).to_have_text(AWAITING)


def approve_in_admin(page, live_server, text):
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="1 comment awaiting moderation").click()
    row = page.locator("#result_list tr", has_text=text[:40])
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")


def test_a_reader_comments_a_moderator_approves_it_and_a_reply_nests_under_it(
    live_server, browser, settings, django_user_model, mailoutbox, output_dir
):
    # Playwright fills the form far faster than a person; the default minimum
    # is proven by tests/comments/test_posting.py.
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    article = ArticleFactory(title="What is Runner's Knee?", slug="runners-knee")
    moderator = django_user_model.objects.create_user(
        "molly", "molly@example.com", "Moderate-1234", is_staff=True
    )
    moderator.groups.add(create_moderators_group())
    article_url = live_server.url + article.get_absolute_url()
    reader, stranger, admin = (browser.new_context() for _ in range(3))

    # A reader posts a comment and is told it awaits moderation.
    ann = reader.new_page()
    ann.goto(article_url)
    expect(ann.locator("#comments-heading")).to_have_text("Be the first to comment.")
    post_comment(
        ann,
        name="Ann Runner",
        email="ann@example.com",
        notify=True,
        remember=True,
        text="Walking backwards uphill fixed my knee.",
    )
    expect(ann.locator(".comment-list")).to_have_count(0)
    # The browser remembers her details for the next comment.
    expect(ann.get_by_label("Name", exact=True)).to_have_value("Ann Runner")
    ann.screenshot(path=output_dir / "comment-awaiting-moderation.png", full_page=True)

    # It is not public.
    other = stranger.new_page()
    other.goto(article_url)
    expect(other.get_by_text("Walking backwards uphill")).to_have_count(0)

    # A moderator signs in to the admin and approves it with the bulk action.
    molly = admin.new_page()
    molly.goto(live_server.url + "/admin/")
    molly.get_by_label("Username").fill("molly")
    molly.get_by_label("Password").fill("Moderate-1234")
    molly.get_by_role("button", name="Log in").click()
    approve_in_admin(molly, live_server, "Walking backwards uphill fixed my knee.")

    # The reader's page shows it.
    ann.goto(article_url)
    expect(ann.locator("#comments-heading")).to_have_text("1 Comment")
    first = Comment.objects.get(name="Ann Runner")
    expect(ann.locator(f"#comment-{first.pk}")).to_contain_text("Walking backwards uphill")

    # Another reader replies to it; once approved, the reply nests under it.
    other.goto(article_url)
    other.get_by_role("link", name="Reply to Ann Runner").click()
    expect(other.locator("h1")).to_have_text("Reply to Ann Runner")
    post_comment(other, name="Ben", email="ben@example.com", text="Thanks, trying it this week.")
    approve_in_admin(molly, live_server, "Thanks, trying it this week.")

    ann.goto(article_url)
    expect(ann.locator("#comments-heading")).to_have_text("2 Comments")
    reply = Comment.objects.get(name="Ben")
    nested = ann.locator(f"#comment-{first.pk} > .comment-replies > #comment-{reply.pk}")
    expect(nested).to_contain_text("Thanks, trying it this week.")
    ann.locator(f"#comment-{first.pk}").screenshot(path=output_dir / "comment-with-reply.png")

    # Ann asked to hear about replies: one e-mail, with a way out.
    assert [mail.to for mail in mailoutbox] == [["ann@example.com"]]
    assert re.search(r"/comments/unsubscribe/[^/\s]+/", mailoutbox[0].body)
    for context in (reader, stranger, admin):
        context.close()


def in_viewport(page, locator):
    """The whole of `locator` is on screen (to a pixel: layout rounds)."""
    box = locator.bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= -1
        and box["y"] + box["height"] <= viewport["height"] + 1
        and box["x"] >= -1
        and box["x"] + box["width"] <= viewport["width"] + 1
    )


def test_a_refused_comment_opens_at_its_error_summary_on_a_phone(live_server, browser):
    article = ArticleFactory(body="<p>" + "A long paragraph about knees. " * 400 + "</p>")
    parent = CommentFactory(article=article, name="Bob Jogger")
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    summary = page.locator(".error-summary")
    try:
        # An empty post, as a browser that does not check the form sends it.
        page.goto(live_server.url + article.get_absolute_url())
        page.locator("#comment-form").evaluate("form => form.noValidate = true")
        page.get_by_role("button", name="Post Comment").click()
        expect(summary).to_contain_text("There is a problem")
        assert page.url.endswith(f"/comments/post/{article.pk}/#comment-form")
        assert in_viewport(page, summary), summary.bounding_box()
        for error in (
            "Please give a name to show with your comment.",
            "Please give your e-mail address; it is never shown.",
        ):
            expect(summary.get_by_role("link", name=error)).to_be_visible()
        summary.get_by_role("link", name="Please write your comment.").click()
        expect(page.get_by_label("Comment", exact=True)).to_be_focused()

        # A reply refused for a missing name comes back on the reply page, text kept.
        page.goto(live_server.url + article.get_absolute_url())
        page.get_by_role("link", name="Reply to Bob Jogger").click()
        page.get_by_label("Email", exact=True).fill("ann@example.com")
        page.get_by_label("Comment", exact=True).fill("Same here, week three.")
        page.locator("#comment-form").evaluate("form => form.noValidate = true")
        page.get_by_role("button", name="Post Comment").click()
        expect(summary.get_by_role("link")).to_have_text(
            "Please give a name to show with your comment."
        )
        assert in_viewport(page, summary), summary.bounding_box()
        expect(page.locator("h1")).to_have_text("Reply to Bob Jogger")
        expect(page.get_by_label("Comment", exact=True)).to_have_value("Same here, week three.")
        expect(page.locator("input[name=parent]")).to_have_value(str(parent.pk))

        # The address of a refused post, opened again, is the article's comment form.
        page.goto(live_server.url + f"/comments/post/{article.pk}/")
        assert page.url == live_server.url + article.get_absolute_url() + "#comment-form"
        assert in_viewport(page, page.locator("#comment-form-heading"))
    finally:
        phone.close()
