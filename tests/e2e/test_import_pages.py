"""A 30-page old site moved in with import_pages, then read in Chromium:
five imported articles with their text, pictures and alt text, their
"Return to" hub, the FTC disclosure exactly where there are affiliate links,
and every old address form answering one 301 to the new page."""

from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from tests.moving.oldsite import HUBS, write_mirror

# 26 articles, 3 hubs and the home page.
ARTICLES = 26
# Article numbers: an amazon.com text link (0), no affiliate link at all (3),
# a capitalised file name and a banner only (7), a page of a nav-header group
# without hub (8), an amzn.to link (11). (Pages whose old alt text was
# missing or a file name are left to the editor: the report lists them.)
OPENED = [0, 3, 7, 8, 11]


def old_forms(spec):
    stem = spec.file.rsplit(".", 1)[0]
    return [f"/{spec.file}", f"/{stem.lower()}.htm", f"/{stem}/index.html", f"/{stem.upper()}/"]


def test_an_imported_site_reads_like_the_old_one(live_server, page, tmp_path):
    site = write_mirror(tmp_path / "mirror", articles=ARTICLES)
    call_command(
        "import_pages", str(site.folder), "--report", str(tmp_path / "r.txt"), stdout=StringIO()
    )
    hub_titles = {file: title for file, title, _ in HUBS}

    for number in OPENED:
        spec = site.article(number)
        page.goto(f"{live_server.url}/{spec.slug}/")
        expect(page.locator("h1")).to_have_text(spec.title)
        body = page.locator("article.article")
        expect(body).to_contain_text(f"The {spec.words} marker lives here.")
        images = page.locator("article.article img")
        assert images.count() >= 1
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            assert image.get_attribute("alt")
        page.wait_for_function(
            "() => [...document.querySelectorAll('article.article img')]"
            ".filter(img => img.alt).every(img => img.complete && img.naturalWidth > 0)"
        )
        return_to = page.locator(".return-to a")
        if spec.hub:
            expect(return_to).to_have_text(f"Return to {hub_titles[spec.hub]}")
            expect(return_to).to_have_attribute(
                "href", "/" + spec.hub.rsplit(".", 1)[0].lower() + "/"
            )
        else:
            expect(return_to).to_have_text("Return to Training Plans")
        disclosure = page.locator(".affiliate-disclosure")
        if spec.amazon or spec.banner:
            expect(disclosure).to_contain_text("FTC Disclosure")
            assert page.locator("a[rel~=sponsored]").count() >= 1
        else:
            expect(disclosure).to_have_count(0)
            assert page.locator("a[rel~=sponsored]").count() == 0

        for old in old_forms(spec):
            answer = page.request.get(live_server.url + old, max_redirects=0)
            assert answer.status == 301, old
            assert answer.headers["location"] == f"/{spec.slug}/", old
