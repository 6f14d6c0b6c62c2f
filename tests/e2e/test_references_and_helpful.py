"""In Chromium, with JavaScript off: a reader follows a citation to its
reference and back, reads the feeds the page announces, and answers “Was
this page helpful?”, while the page stays one cached copy for everyone."""

from playwright.sync_api import expect

from articles.models import HelpfulComment, HelpfulDay, Reference
from tests.factories import ArticleFactory, CommentFactory


def test_a_reader_follows_a_citation_and_back_then_answers_the_helpful_question(
    live_server, browser
):
    article = ArticleFactory(
        title="IT band syndrome",
        slug="it-band-syndrome",
        body="<p>Pain on the outside of the knee [ref 1].</p><p>Hip strength helps [ref 1].</p>",
    )
    Reference.objects.create(article=article, number=1, citation="Noble CA. ITB friction. 1980.")
    CommentFactory(article=article, name="Ann", text="Stairs were the worst.")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        url = live_server.url + article.get_absolute_url()
        page.goto(url)
        assert page.context.cookies() == []

        page.locator("#cite-1-2 a").click()
        assert page.url.endswith("#ref-1")
        expect(page.locator("#ref-1")).to_contain_text("Noble CA. ITB friction. 1980.")
        page.get_by_role("link", name="Back to citation 2 of reference 1").click()
        assert page.url.endswith("#cite-1-2")

        feed = page.locator('link[rel=alternate][title="Comments on IT band syndrome"]')
        feed_response = page.request.get(feed.get_attribute("href"))
        assert feed_response.ok
        assert b"Stairs were the worst." in feed_response.body()

        helpful = page.locator("#helpful")
        helpful.get_by_label("Anything we should add or explain better?").fill("Add a stretch.")
        helpful.get_by_role("button", name="No").click()
        expect(page.locator(".helpful-thanks")).to_have_text(
            "Thank you for your answer. It helps us decide what to improve."
        )
        assert page.context.cookies() == []
        (day,) = HelpfulDay.objects.filter(article=article)
        assert (day.yes, day.no) == (0, 1)
        assert HelpfulComment.objects.get().text == "Add a stretch."

        # Everyone else still gets the one cached page, with the question.
        again = page.goto(url)
        assert again.headers["x-page-cache"] == "hit"
        expect(page.get_by_role("button", name="Yes")).to_be_visible()
    finally:
        context.close()
