"""The owner imports redirects from a CSV in the admin, in Chromium: a preview
(nothing saved), then the import, under the admin's Content-Security-Policy."""

from django.contrib.redirects.models import Redirect
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import ArticleFactory

CSV = b"old address,new address\nhttps://www.old-site.com/Knee-Pain.html,/knee/\n/x/,/x.htm\n"


def test_the_owner_previews_then_imports_redirects_from_a_csv(
    live_server, page, admin_user, tmp_path
):
    ArticleFactory(slug="knee", title="Knee pain")
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    page.goto(live_server.url + reverse("admin:redirects_redirect_changelist"))
    page.click("text=Import from CSV")
    file = tmp_path / "redirects.csv"
    file.write_bytes(CSV)
    page.set_input_files("#id_csv_file", str(file))
    page.click("input[value=Preview]")
    expect(page.locator(".import-summary")).to_have_text(
        "1 redirects would be created, 0 updated, 0 unchanged, 1 refused."
    )
    expect(page.locator(".import-refused")).to_contain_text("/x/ would redirect to itself")
    assert not Redirect.objects.exists()

    page.click("input[value='Import these redirects']")
    expect(page.locator(".messagelist")).to_contain_text(
        "1 redirects created, 0 updated, 0 unchanged, 1 refused."
    )
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {"/knee-pain/": "/knee/"}
    page.goto(live_server.url + "/Knee-Pain.htm")
    expect(page.locator("h1")).to_have_text("Knee pain")
    assert page.url == live_server.url + "/knee/"
    assert refused == []
