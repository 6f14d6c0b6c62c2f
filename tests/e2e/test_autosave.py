"""An editor changes a live article in Chromium: the autosave keeps the text
through a closed browser, Preview shows it in the site's page, and readers
get it only once the editor presses “Publish changes”."""

import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from articles.drafts import save_draft
from articles.models import Draft, EditingSession
from tests.e2e.test_editor import PASSWORD, type_in_editor
from tests.factories import ArticleFactory, UserFactory

PUBLISHED = "Ice the knee for ten minutes after each run."
TYPED = "Swelling after hill repeats needs a rest day."
TYPED_OFFLINE = "Ice it."


def signed_in_page(browser, live_server, user, problems):
    """A fresh browser (its own cookies), signed in to the admin; CSP refusals
    and script errors are collected in `problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return page


def editor_text(page):
    return page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")


def test_autosaved_text_survives_a_closed_browser_is_previewed_and_goes_live_on_publish(
    live_server, browser, settings, output_dir
):
    settings.DRAFT_AUTOSAVE_SECONDS = 1
    settings.DRAFT_HEARTBEAT_SECONDS = 1
    editor = UserFactory(editor=True)
    article = ArticleFactory(
        title="Runner's knee",
        slug="runners-knee",
        body=f"<p>{PUBLISHED}</p>",
        meta_description="Why the kneecap aches after long runs.",  # the checks ask for one
    )
    change_url = live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    article_url = live_server.url + article.get_absolute_url()
    problems = []

    page = signed_in_page(browser, live_server, editor, problems)
    page.goto(change_url)
    expect(page.locator(".draft-notice")).to_contain_text("your changes are kept as a draft")
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    type_in_editor(page, "")
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(TYPED)
    status = page.locator("#autosave-status")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    # Offline, the status says so; back online, the next save goes through.
    page.context.set_offline(True)
    page.keyboard.type(f" {TYPED_OFFLINE}")
    expect(status).to_have_text("Not saved: offline")
    page.context.set_offline(False)
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    saved_at = status.inner_text().removeprefix("Saved ")
    assert page.url == change_url  # saved without a reload
    page.context.close()  # the browser is closed, nothing submitted

    reader = browser.new_context().new_page()
    reader.goto(article_url)
    expect(reader.locator(".rich-text").first).to_contain_text(PUBLISHED)
    expect(reader.locator("body")).not_to_contain_text(TYPED)

    page = signed_in_page(browser, live_server, editor, problems)
    page.goto(change_url)
    offer = page.locator("#autosave-offer")
    expect(offer).to_have_text(re.compile(rf"Restore the autosaved draft from {saved_at}\?"))
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    expect(editor_text(page)).not_to_contain_text(TYPED)
    offer.get_by_role("link", name="Restore").click()
    expect(editor_text(page)).to_contain_text(f"{TYPED} {TYPED_OFFLINE}")
    expect(editor_text(page)).to_contain_text(PUBLISHED)
    page.screenshot(path=output_dir / "autosave-restored.png", full_page=True)

    with page.expect_popup() as popup:
        page.get_by_role("button", name="Preview").click()
    preview = popup.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview: not published")
    expect(preview.locator("article.article h1")).to_have_text("Runner's knee")
    expect(preview.locator("article.article")).to_contain_text(TYPED)
    preview.screenshot(path=output_dir / "draft-preview.png", full_page=True)
    preview.close()

    reader.reload()
    expect(reader.locator("body")).not_to_contain_text(TYPED)

    page.get_by_role("button", name="Publish changes").click()
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))
    expect(page.locator(".messagelist")).to_contain_text("The changes are live.")

    reader.reload()
    expect(reader.locator("article.article")).to_contain_text(TYPED)
    expect(reader.locator("body")).not_to_contain_text("Preview: not published")
    reader.context.close()

    # Leaving the form tells the site at once, so nobody is told this editor is still there.
    page.goto(change_url)
    page.wait_for_selector("#draft-tools")
    assert EditingSession.objects.filter(user=editor).exists()
    page.goto("about:blank")
    for _ in range(50):
        if not EditingSession.objects.filter(user=editor).exists():
            break
        page.wait_for_timeout(100)
    assert not EditingSession.objects.filter(user=editor).exists()
    page.context.close()
    assert problems == [], "\n".join(problems)
    article.refresh_from_db()
    assert TYPED in article.body
    assert article.history.first().history_user == editor


def test_two_editors_of_one_article_each_see_the_other(live_server, browser, settings):
    settings.DRAFT_HEARTBEAT_SECONDS = 1
    first = UserFactory(editor=True, username="alex", first_name="Alex", last_name="Reed")
    second = UserFactory(editor=True, username="sam", first_name="Sam", last_name="Hill")
    article = ArticleFactory(title="Shin splints", body=f"<p>{PUBLISHED}</p>")
    change_url = live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    problems = []
    alex = signed_in_page(browser, live_server, first, problems)
    alex.goto(change_url)
    expect(alex.locator("#editing-notice")).to_have_text("")

    sam = signed_in_page(browser, live_server, second, problems)
    sam.goto(change_url)

    expect(sam.locator("#editing-notice")).to_have_text("Alex Reed is also editing this article.")
    # Alex's form learns of Sam on its next heartbeat, without a reload.
    expect(alex.locator("#editing-notice")).to_have_text("Sam Hill is also editing this article.")
    sam.goto("about:blank")
    expect(alex.locator("#editing-notice")).to_have_text("")
    alex.goto("about:blank")
    for _ in range(50):
        if not EditingSession.objects.exists():
            break
        alex.wait_for_timeout(100)
    alex.context.close()
    sam.context.close()
    assert problems == [], "\n".join(problems)


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_the_draft_notices_and_the_preview_pass_axe(live_server, browser):
    """axe-core on what is ours: the notices above the change form (another
    editor, the autosave offer) and the preview page, which is the site's own."""
    assert AXE.exists(), "run `npm ci --ignore-scripts` (make test does)"
    alex = UserFactory(editor=True, username="alex", first_name="Alex", last_name="Reed")
    sam = UserFactory(editor=True, username="sam", first_name="Sam", last_name="Hill")
    article = ArticleFactory(title="Shin splints", body=f"<p>{PUBLISHED}</p>")
    save_draft(obj=article, user=sam, values={"body": [f"<p>{TYPED}</p>"]}, seen_version=0)
    save_draft(
        obj=article, user=sam, values={"body": [f"<p>{TYPED}</p>"]}, seen_version=1, autosave=True
    )
    problems = []
    page = signed_in_page(browser, live_server, alex, problems)
    checks = [
        (reverse("admin:articles_article_change", args=[article.pk]), "#draft-tools"),
        (reverse("admin:articles_article_draft_preview", args=[article.pk]), "html"),
    ]
    violations = []
    for path, scope in checks:
        page.goto(live_server.url + path)
        if scope == "#draft-tools":
            expect(page.locator("#editing-notice")).to_have_text(
                "Sam Hill is also editing this article."
            )
            expect(page.locator("#autosave-offer")).to_contain_text("Restore Sam Hill’s autosaved")
        # The pages allow only their own scripts: axe is read in by the test.
        page.evaluate(AXE.read_text())
        found = page.evaluate(
            "async (scope) => (await axe.run(scope, {resultTypes: ['violations']})).violations",
            scope,
        )
        violations += [
            f"{path}: {v['id']}: {v['help']}: {[n['html'][:120] for n in v['nodes']]}"
            for v in found
        ]
    expect(page.locator(".preview-banner")).to_contain_text("Preview: not published")
    page.context.close()
    assert violations == [], "\n".join(violations)
    assert problems == [], "\n".join(problems)


def test_a_form_opened_and_closed_without_a_change_leaves_no_autosave(
    live_server, browser, settings
):
    settings.DRAFT_AUTOSAVE_SECONDS = 1
    editor = UserFactory(editor=True)
    article = ArticleFactory(title="Plantar fasciitis", body=f"<p>{PUBLISHED}</p>")
    problems = []
    page = signed_in_page(browser, live_server, editor, problems)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    page.wait_for_timeout(3000)  # three autosave intervals
    page.goto("about:blank")  # hidden, then gone: the last chance to autosave
    page.wait_for_timeout(500)
    page.context.close()
    assert not Draft.objects.exists()
    assert problems == [], "\n".join(problems)
