"""Hostile text on real pages in Chromium: nothing runs, nothing is injected.

Comments carrying a spread of the hostile strings (tests/security/hostile.py)
are posted through the moderation function and approved; then the article
page, a reply page, search results for hostile queries, a refused comment
shown again with its text kept, and an ended offer's page reached with a
hostile ?from= are loaded. Any dialog, any console error naming the payloads'
marker, any element carrying it (or an event handler), or any request to
another host fails the test.
"""

import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from comments.moderation import change_status, submit_comment
from comments.tokens import make_form_token
from tests.factories import AffiliateLinkFactory, ArticleFactory
from tests.security.hostile import SAMPLE, received

# Text as a browser can hold it: unpaired surrogates become what the server
# makes of them on the wire.
HOSTILE = [received(text) for text in SAMPLE]
INJECTED = (
    "[data-pwned], #pwned, .pwned, [onerror], [onload], [onfocus], [onmouseover], [ontoggle], "
    "svg, math, iframe, object, embed, base, "
    'script:not([src^="/static/"]):not([type="application/ld+json"])'
)


class Watch:
    """What a page did that it should not: dialogs, marked console errors,
    requests to other hosts."""

    def __init__(self, page, own_host):
        self.problems = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._console_text(str(error)))
        page.on("request", lambda request: self._request(request, own_host))

    def _dialog(self, dialog):
        self.problems.append(f"a {dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error":
            self._console_text(message.text)

    def _console_text(self, text):
        if "pwned" in text:
            self.problems.append(f"a console error: {text}")

    def _request(self, request, own_host):
        if urlsplit(request.url).netloc not in ("", own_host):
            self.problems.append(f"a request to {request.url}")


def visit(page, watch, url):
    page.goto(url)
    page.wait_for_load_state("load")
    injected = page.locator(INJECTED)
    assert injected.count() == 0, [
        injected.nth(i).evaluate("e => e.outerHTML") for i in range(injected.count())
    ]
    assert watch.problems == [], (url, watch.problems)


@pytest.fixture
def hostile_article(settings):
    settings.COMMENTS_RATE_LIMIT = 1_000_000
    article = ArticleFactory(title="Runner's knee", slug="runners-knee")
    token = make_form_token(article, rendered_at=time.time() - 60)
    for number, text in enumerate(HOSTILE):
        for field in ("text", "name", "website"):
            data = {
                "name": "Ann Runner",
                "email": f"ann{number}@example.com",
                "text": f"Comment {number} {field}",
                "token": token,
                field: text,
            }
            submit_comment(article=article, data=data, ip="203.0.113.9")
    change_status(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    return article


def test_hostile_comments_search_queries_and_parameters_run_nothing_in_chromium(
    live_server, page, hostile_article, output_dir, settings
):
    settings.COMMENTS_PER_PAGE = 500  # every hostile comment on the one page
    assert len(HOSTILE) >= 30
    stored = Comment.objects.filter(article=hostile_article)
    assert stored.count() >= 60
    watch = Watch(page, urlsplit(live_server.url).netloc)

    visit(page, watch, live_server.url + hostile_article.get_absolute_url())
    shown = page.locator(".comment")
    expect(shown).to_have_count(stored.count())
    page.screenshot(path=output_dir / "hostile-comments.png", full_page=True)
    for comment in stored.filter(text__contains="<script>")[:3]:
        expect(page.locator(f"#comment-{comment.pk} .comment-text")).to_contain_text("<script>")
    for comment in stored.exclude(text__startswith="Comment ")[:10]:
        visit(page, watch, live_server.url + reverse("comments:reply", args=[comment.pk]))

    search = live_server.url + reverse("articles:search")
    for text in HOSTILE:
        visit(page, watch, f"{search}?{urlencode({'q': text})}")
        visit(page, watch, f"{search}?{urlencode({'q': 'knee', 'page': text})}")

    AffiliateLinkFactory(slug="offer-ended", inactive=True)
    ended = live_server.url + reverse("affiliates:go", kwargs={"slug": "offer-ended"})
    for text in HOSTILE:
        visit(page, watch, f"{ended}?{urlencode({'from': text})}")


def test_a_refused_hostile_comment_is_shown_again_as_text_in_chromium(live_server, page, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1_000_000
    article = ArticleFactory()
    watch = Watch(page, urlsplit(live_server.url).netloc)

    for text in [text for text in HOSTILE if len(text) < 2000][:12]:
        visit(page, watch, live_server.url + article.get_absolute_url())
        page.get_by_label("Name", exact=True).fill(text[:80] or "Ann")
        page.get_by_label("Email", exact=True).fill("not an address")
        page.get_by_label("Comment", exact=True).fill(text or "x")
        # The browser's own check would stop an invalid address before it is sent.
        page.locator("#comment-form").evaluate("form => form.noValidate = true")
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_load_state("load")
        assert page.locator(INJECTED).count() == 0
        assert watch.problems == []
        expect(page.locator("#comment-form .errorlist").first).to_be_visible()
        if text.isprintable():
            expect(page.get_by_label("Comment", exact=True)).to_have_value(text or "x")
    assert not Comment.objects.exists()
