"""A reader in Chromium follows an old WordPress address after the import:
one 301 to the article, its picture (copied from --media) shown with its
caption and alt text, its comments with their replies."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import browser, output_dir, page  # noqa: F401 (fixtures)
from tests.moving.test_import_wordpress_files import picture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SITE = Path(__file__).parent / "data" / "wordpress" / "site.xml"


def test_a_reader_following_an_old_address_lands_on_the_imported_article(
    live_server,
    page,  # noqa: F811
    tmp_path,
    output_dir,  # noqa: F811
):
    uploads = tmp_path / "uploads"
    picture(uploads / "2019/05/knee.jpg", size=(1200, 800))
    picture(uploads / "2019/06/stretch.png", color=(20, 120, 60))
    call_command("import_wordpress", str(SITE), "--media", str(uploads), stdout=StringIO())
    answers = []
    page.on("response", lambda response: answers.append((response.status, response.url)))

    page.goto(live_server.url + "/?p=12")

    assert page.url == live_server.url + "/runners-knee/"
    assert (301, live_server.url + "/?p=12") in answers
    expect(page.locator("h1")).to_have_text("What is runner's knee?")
    figure = page.locator("main figure").first
    expect(figure.locator("figcaption")).to_have_text("Where it hurts: around the kneecap")
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", "A runner holding her knee")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert "[gallery" not in page.locator("main").inner_text()

    alice = page.locator("li.comment", has=page.locator(".comment-author", has_text="Alice"))
    expect(alice.first.locator(".comment-replies .comment-author")).to_contain_text(["Ben"])
    expect(page.locator(".comment-author", has_text="Cara")).to_have_count(0)  # pending
    expect(page.locator(".comment-author", has_text="Cheap Pills")).to_have_count(0)  # spam
    page.screenshot(path=str(output_dir / "wordpress-imported-article.png"), full_page=True)

    page.goto(live_server.url + "/2019/06/it-band-syndrome/")
    assert page.url == live_server.url + "/it-band-syndrome/"
    expect(page.locator("main figcaption")).to_have_text("Lean away from the sore side")
