"""A moderator works the comment list with the keyboard alone, in Chromium:
j/k move a visible, focused selection, a/s/d approve, mark as spam and
remove, r replies; keys typed in a text field stay in it."""

from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments import links
from comments.groups import create_moderators_group
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

PASSWORD = "Moderate-1234"
PENDING = "/admin/comments/comment/?status__exact=pending"


def moderator_page(browser, live_server, django_user_model, violations):
    moderator = django_user_model.objects.create_user(
        "molly", "molly@example.com", PASSWORD, is_staff=True, first_name="Molly"
    )
    moderator.groups.add(create_moderators_group())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("molly")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#user-tools")).to_be_visible()
    return context, page


def selected_text(page):
    """The text of the selected row, which must also have the focus."""
    row = page.locator("#result_list tbody tr[aria-current=true]")
    expect(row).to_have_count(1)
    assert row.evaluate("row => row === document.activeElement")
    outline = row.evaluate("row => getComputedStyle(row).outlineStyle")
    assert outline != "none"
    return row.locator(".field-excerpt").inner_text()


def press_and_wait(page, key, message):
    with page.expect_navigation():
        page.keyboard.press(key)
    expect(page.locator(".messagelist")).to_contain_text(message)


def test_a_moderator_clears_five_pending_comments_with_the_keyboard_alone(
    live_server, browser, django_user_model, output_dir
):
    article = ArticleFactory(title="Shin splints")
    now = timezone.now()
    # The list shows the newest first: "Comment 5" at the top.
    queue = {
        number: CommentFactory(
            article=article,
            pending=True,
            text=f"Comment {number} about shin pain.",
            created_at=now - timedelta(minutes=10 - number),
        )
        for number in range(1, 6)
    }
    violations = []
    context, page = moderator_page(browser, live_server, django_user_model, violations)
    try:
        page.goto(live_server.url + PENDING)
        help_line = page.locator("#comment-shortcuts")
        expect(help_line).to_be_visible()
        expect(help_line).to_contain_text("j next comment, k previous, a approve, s spam")

        # Nothing selected yet: the keys say what to do first, and change nothing.
        page.keyboard.press("a")
        expect(help_line).to_contain_text("Press j to choose a comment first.")

        page.keyboard.press("j")
        assert selected_text(page) == "Comment 5 about shin pain."
        press_and_wait(page, "a", "1 comment approved.")

        # Back on the list, the selection is where it was: the next comment.
        assert selected_text(page) == "Comment 4 about shin pain."
        page.keyboard.press("j")
        assert selected_text(page) == "Comment 3 about shin pain."
        page.keyboard.press("k")
        assert selected_text(page) == "Comment 4 about shin pain."

        # Typing in the search box is typing, not moderating.
        page.locator("#searchbar").focus()
        page.keyboard.type("sad")
        expect(page.locator("#searchbar")).to_have_value("sad")
        assert Comment.objects.pending().count() == 4
        page.locator("#result_list tbody tr[aria-current=true]").focus()

        press_and_wait(page, "s", "1 comment marked as spam.")
        assert selected_text(page) == "Comment 3 about shin pain."
        page.keyboard.press("j")
        assert selected_text(page) == "Comment 2 about shin pain."
        press_and_wait(page, "d", "1 comment removed.")
        # The last row left: the selection stays on the new last one.
        assert selected_text(page) == "Comment 1 about shin pain."
        press_and_wait(page, "a", "1 comment approved.")
        assert selected_text(page) == "Comment 3 about shin pain."
        page.screenshot(path=output_dir / "admin-comment-keyboard.png")
        press_and_wait(page, "d", "1 comment removed.")

        expect(page.locator("#result_list")).to_have_count(0)
        statuses = {
            number: Comment.objects.get(pk=comment.pk).status for number, comment in queue.items()
        }
        assert statuses == {
            5: Comment.Status.APPROVED,
            4: Comment.Status.SPAM,
            3: Comment.Status.REMOVED,
            2: Comment.Status.REMOVED,
            1: Comment.Status.APPROVED,
        }
        page.goto(live_server.url + article.get_absolute_url())
        shown = page.locator(".comment-text").all_inner_texts()
        assert shown == ["Comment 1 about shin pain.", "Comment 5 about shin pain."]
        assert violations == []
    finally:
        context.close()


def test_r_replies_from_the_list_and_the_reply_shows_with_the_site_team_badge(
    live_server, browser, django_user_model
):
    article = ArticleFactory(title="Plantar fasciitis")
    question = CommentFactory(
        article=article, pending=True, name="Ann", text="Should I stretch before runs?"
    )
    violations = []
    context, page = moderator_page(browser, live_server, django_user_model, violations)
    try:
        page.goto(live_server.url + PENDING)
        page.keyboard.press("j")
        with page.expect_navigation():
            page.keyboard.press("r")
        reply_box = page.get_by_label("Your reply")
        expect(reply_box).to_be_focused()
        # An "a" typed in the reply is text, not an Approve.
        page.keyboard.type("Yes, and after: a gentle calf stretch.")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # pin it
        page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        expect(page.locator(".messagelist")).to_contain_text("Reply to Ann published.")
        assert page.url == live_server.url + PENDING
        expect(page.locator("#result_list")).to_have_count(0)
        question.refresh_from_db()
        assert question.status == Comment.Status.APPROVED
        reply = Comment.objects.get(parent=question)
        assert reply.is_staff_reply
        assert reply.is_pinned
        assert reply.text == "Yes, and after: a gentle calf stretch."

        page.goto(live_server.url + article.get_absolute_url())
        shown = page.locator(f"#comment-{reply.pk}")
        expect(shown.locator(".comment-author")).to_have_text("Molly")
        expect(shown.locator(".comment-badge")).to_have_text("Site team")
        assert violations == []
    finally:
        context.close()


def test_the_selected_row_the_reply_page_and_the_link_page_pass_axe(
    live_server, browser, django_user_model
):
    """axe-core on the parts of these admin pages that are ours (the rest is
    Django's admin): the list with a row selected, the reply form and a
    signed link's confirmation."""
    axe = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.exists(), "run `npm ci --ignore-scripts` (make test does)"
    article = ArticleFactory(title="Achilles pain")
    comment = CommentFactory(article=article, pending=True, name="Ann", text="Is it tendinitis?")
    CommentFactory(article=article, pending=True)
    staff = django_user_model.objects.create_user(
        "molly", "molly@example.com", PASSWORD, is_staff=True
    )
    staff.groups.add(create_moderators_group())
    # axe is injected by the test; the pages themselves allow only their own scripts.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    try:
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill("molly")
        page.get_by_label("Password").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.locator("#user-tools")).to_be_visible()
        for path, prepare in [
            (PENDING, lambda: page.keyboard.press("j")),
            (reverse("admin:comments_comment_reply", args=[comment.pk]), None),
            (links.link_path(comment, "approve"), None),
            (reverse("admin:comments_comment_change", args=[comment.pk]), None),
        ]:
            page.goto(live_server.url + path)
            if prepare:
                prepare()
            page.add_script_tag(path=str(axe))
            violations = page.evaluate(
                "async () => (await axe.run('#content', {resultTypes: ['violations']})).violations"
            )
            problems += [
                f"{path}: {v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
                for v in violations
            ]
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
