"""A moderator's comment list in Chromium at 1280 px: every column and button
on screen without scrolling sideways, and one click approves a comment."""

from playwright.sync_api import expect

from comments.groups import create_moderators_group
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

WIDTH = 1280
PASSWORD = "Moderate-1234"
COLUMNS = ["comment", "author", "article", "why held", "status", "moderate"]


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def overflow(page):
    """How far the page and each column header reach past the window's right edge."""
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth - innerWidth,
            columns: [...document.querySelectorAll('#result_list thead th')].map(
                th => [th.textContent.trim(), th.getBoundingClientRect().right - innerWidth]),
            buttons: [...document.querySelectorAll('#result_list button')].map(
                b => b.getBoundingClientRect().right - innerWidth),
        })"""
    )


def test_the_comment_list_fits_1280_px_and_approve_publishes_in_one_click(
    live_server, browser, django_user_model, output_dir
):
    article = ArticleFactory(
        title="What is Runner's Knee? Causes, Symptoms and a Six-Week Plan Back to Running"
    )
    moderator = django_user_model.objects.create_user(
        "molly", "molly@example.com", PASSWORD, is_staff=True
    )
    moderator.groups.add(create_moderators_group())
    for number in range(8):
        CommentFactory(
            article=article,
            pending=number % 2 == 0,
            name=f"Runner with a rather long name {number}",
            email=f"a.very.long.address.for.runner.number.{number}@physiotherapy-example.com",
            ip="2001:db8:85a3:1234:5678:8a2e:370:7334",
            text="Anterior knee pain after long downhill runs, " * 12,
            held_reason="Has 4 links (more than 2).",
        )
    waiting = CommentFactory(
        article=article, pending=True, text="Ice and rest helped; approve me please."
    )
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        log_in(page, live_server, "molly")
        for query in ("", "?status__exact=pending"):
            page.goto(live_server.url + "/admin/comments/comment/" + query)
            reach = overflow(page)
            # The first column is the action checkbox.
            assert [text.lower() for text, _right in reach["columns"][1:]] == COLUMNS, reach
            assert reach["page"] <= 0, reach
            assert all(right <= 0 for _text, right in reach["columns"]), reach
            assert reach["buttons"], reach
            assert all(right <= 0 for right in reach["buttons"]), reach
        page.screenshot(path=output_dir / "admin-comment-list-1280.png", full_page=True)

        row = page.locator("#result_list tr", has_text="Ice and rest helped")
        row.get_by_role("button", name="Approve").click()
        expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
        # Back on the list as it was filtered: the approved comment has left it.
        assert page.url.endswith("/admin/comments/comment/?status__exact=pending")
        expect(page.locator("#result_list")).not_to_contain_text("Ice and rest helped")
        waiting.refresh_from_db()
        assert waiting.status == Comment.Status.APPROVED

        page.goto(live_server.url + article.get_absolute_url())
        expect(page.locator(f"#comment-{waiting.pk}")).to_contain_text("Ice and rest helped")

        # The change page has the same buttons; Spam takes it off the page again.
        page.goto(live_server.url + f"/admin/comments/comment/{waiting.pk}/change/")
        page.screenshot(path=output_dir / "admin-comment-change-1280.png")
        page.locator(".comment-moderation").get_by_role("button", name="Spam").click()
        expect(page.locator(".messagelist")).to_contain_text("1 comment marked as spam.")
        assert page.url.endswith("/admin/comments/comment/")
        waiting.refresh_from_db()
        assert waiting.status == Comment.Status.SPAM
        assert violations == []
    finally:
        context.close()
