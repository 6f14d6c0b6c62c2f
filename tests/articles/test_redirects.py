"""Old addresses: every form of one answers the same single 301, chains are
flattened to one hop, and the owner imports a CSV of redirects in the admin
after a preview."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.redirects.models import Redirect
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.redirects import (
    RedirectRefused,
    canonical_old_path,
    import_redirects,
    read_redirects_csv,
    save_redirect,
)
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/redirects/redirect/import/"

VARIANTS = [
    "/Old-Name.html",
    "/old-name.htm",
    "/old-name.HTML",
    "/old-name/index.html",
    "/Old-Name/Index.htm",
    "/OLD-NAME/",
    "/old-name",
    "/old-name/",
    "/old-name/?utm_source=newsletter",
    "/old%2Dname/",
]


def rows():
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def one_hop(client, path):
    """Where `path` sends a reader, checking it is one 301 to a page that answers 200."""
    response = client.get(path)
    assert response.status_code == 301, path
    location = response["Location"]
    assert client.get(location).status_code == 200, (path, location)
    return location


def upload(admin_client, text, name="redirects.csv"):
    data = text if isinstance(text, bytes) else text.encode()
    return admin_client.post(IMPORT_URL, {"csv_file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("https://www.Old-Site.com/Knee/Index.html", "/knee/"),
        ("/Old-Name.HTM", "/old-name/"),
        ("/old-name", "/old-name/"),
        ("/feed.xml", "/feed.xml"),
        ("/?p=12&utm_source=x", "/?p=12"),
        ("/runners%20knee.html", "/runners knee/"),
        ("/a//b/", "/a/b/"),
        ("//old-site.com/a/", ""),
        ("old-name.html", ""),
        ("mailto:someone@example.com", ""),
        ("/%00/", ""),
        ("", ""),
    ],
)
def test_every_form_of_an_old_address_has_one_canonical_form(address, canonical):
    assert canonical_old_path(address) == canonical


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_of_an_old_address_answers_one_301_to_the_new_page(client, variant):
    article = ArticleFactory(slug="new-name")
    save_redirect("/Old-Name.html", "/new-name/")
    assert rows() == {"/old-name/": "/new-name/"}
    assert one_hop(client, variant) == article.get_absolute_url()


def test_an_old_address_with_the_old_host_imported_from_csv_answers_301(admin_client, client):
    ArticleFactory(slug="new-name")
    response = upload(admin_client, "https://www.old-site.com/Old-Name.html,/new-name/\n")
    admin_client.post(IMPORT_URL, {"signed_csv": response.context["signed_csv"]})
    for variant in VARIANTS:
        assert one_hop(client, variant) == "/new-name/", variant


def test_the_source_sites_html_addresses_still_reach_their_article(client):
    ArticleFactory(slug="runners-knee")
    assert one_hop(client, "/runners-knee.html") == "/runners-knee/"
    assert one_hop(client, "/Runners-Knee.html") == "/runners-knee/"


def test_a_chain_added_forwards_is_one_hop(client):
    ArticleFactory(slug="c")
    save_redirect("/a/", "/b/")
    save_redirect("/b/", "/c/")
    assert rows() == {"/a/": "/c/", "/b/": "/c/"}
    assert one_hop(client, "/a.html") == "/c/"


def test_a_chain_added_backwards_is_one_hop():
    save_redirect("/b/", "/c/")
    save_redirect("/A.html", "/b/")
    assert rows() == {"/a/": "/c/", "/b/": "/c/"}


def test_an_article_renamed_twice_after_an_import_sends_every_old_address_to_the_newest(client):
    article = ArticleFactory(slug="old2")
    save_redirect("/old1.html", "/old2/")
    article = Article.objects.get(pk=article.pk)
    article.slug = "new"
    article.save()
    assert rows() == {"/old1/": "/new/", "/old2/": "/new/"}
    for old in ["/Old1.htm", "/old2/index.html"]:
        assert one_hop(client, old) == "/new/"


def test_an_article_whose_slug_changes_only_in_case_is_saved_without_a_redirect(client):
    article = ArticleFactory(slug="Knee-Pain")
    article = Article.objects.get(pk=article.pk)
    article.slug = "knee-pain"
    article.save()
    assert rows() == {}
    assert client.get("/knee-pain/").status_code == 200


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("/a/", "/A.html", "itself"),
        ("/b/", "/a/", "loop"),
        ("", "/a/", "no old address"),
        ("/x/", "", "no new address"),
        ("x y", "/a/", "not a path"),
        ("/x/", "javascript:alert(1)", "not an http"),
        ("/x/", "new page", "not a path"),
    ],
)
def test_loops_and_bad_addresses_are_refused_with_the_reason(old, new, why):
    save_redirect("/a/", "/b/")
    with pytest.raises(RedirectRefused, match=why):
        save_redirect(old, new)
    assert rows() == {"/a/": "/b/"}


def test_a_redirect_changed_after_its_301_was_cached_answers_with_the_new_target(
    client, cache_backend
):
    ArticleFactory(slug="first")
    ArticleFactory(slug="second")
    save_redirect("/old/", "/first/")
    client.get("/old/")
    assert client.get("/old/")["X-Page-Cache"] == "hit"
    save_redirect("/old/", "/second/")
    assert client.get("/old/")["Location"] == "/second/"
    assert client.get("/old/")["X-Page-Cache"] == "hit"
    import_redirects(read_redirects_csv(b"/old/,/first/\n"))
    assert client.get("/old/")["Location"] == "/first/"


def test_the_admin_form_stores_the_canonical_form_and_refuses_a_loop(admin_client, client):
    ArticleFactory(slug="new-name")
    add = reverse("admin:redirects_redirect_add")
    admin_client.post(add, {"site": 1, "old_path": "/Old-Name.html", "new_path": "/new-name/"})
    assert rows() == {"/old-name/": "/new-name/"}
    response = admin_client.post(
        add, {"site": 1, "old_path": "/new-name/", "new_path": "/old-name.htm"}
    )
    assertContains(response, "loop")
    assert rows() == {"/old-name/": "/new-name/"}
    admin_client.post(add, {"site": 1, "old_path": "/Gone-Page.html", "new_path": ""})
    assert client.get("/gone-page/").status_code == 410


CSV = """old address,new address
https://www.old-site.com/Knee-Pain.html,/knee/
/shin-splints.htm,https://www.example.org/shins/
/already/,/knee/
/moved/,/knee/
/knee/index.html,/knee-pain.html
,/knee/
"""


def test_the_csv_import_previews_without_writing_then_imports_in_one_go(admin_client, client):
    ArticleFactory(slug="knee")
    save_redirect("/already/", "/knee/")
    save_redirect("/moved/", "/somewhere-else/")
    response = upload(admin_client, CSV)
    assert response.status_code == 200
    assertContains(response, "Preview: nothing is saved yet")
    assertContains(response, "2 redirects would be created, 1 updated, 1 unchanged, 2 refused.")
    assertContains(response, "a loop")
    assertContains(response, "no old address")
    assert rows() == {"/already/": "/knee/", "/moved/": "/somewhere-else/"}
    assert client.get("/knee-pain/").status_code == 404

    confirmed = admin_client.post(
        IMPORT_URL, {"signed_csv": response.context["signed_csv"]}, follow=True
    )
    assertContains(confirmed, "2 redirects created, 1 updated, 1 unchanged, 2 refused.")
    assert rows() == {
        "/knee-pain/": "/knee/",
        "/shin-splints/": "https://www.example.org/shins/",
        "/already/": "/knee/",
        "/moved/": "/knee/",
    }
    assert one_hop(client, "/Knee-Pain.html") == "/knee/"


def test_a_tampered_preview_writes_nothing(admin_client):
    response = upload(admin_client, "/a/,/b/\n")
    signed = response.context["signed_csv"]
    response = admin_client.post(IMPORT_URL, {"signed_csv": signed[:-3] + "abc"}, follow=True)
    assertContains(response, "expired or was altered")
    assert not Redirect.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("é,ü\n".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not UTF-8"),
        (b"GIF89a\x00\x00", "not a CSV"),
        (b"", "The submitted file is empty"),
        (b"old,new\n", "no rows"),
        (b"/a/,/b/\n" * 5_001, "more than 5,000 rows"),
        (b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
    ],
)
def test_a_bad_file_gets_a_message_and_writes_nothing(admin_client, data, message):
    response = upload(admin_client, data)
    assert response.status_code == 200
    assertContains(response, message)
    assertNotContains(response, "Preview: nothing is saved yet")
    assert not Redirect.objects.exists()


def test_a_user_without_redirect_permissions_cannot_import(client):
    user = UserFactory(editor=True)
    user.user_permissions.add(Permission.objects.get(codename="view_redirect"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"csv_file": SimpleUploadedFile("r.csv", b"/a/,/b/\n")})
    assert response.status_code == 403
    assert not Redirect.objects.exists()


def test_the_import_command_has_a_dry_run_and_one_line_for_a_bad_file(tmp_path, capsys):
    good = tmp_path / "redirects.csv"
    good.write_text("/Old.html,/new/\n/x/,/x.htm\n")
    call_command("import_redirects", str(good), "--dry-run")
    assert "1 redirects would be created" in capsys.readouterr().out
    assert not Redirect.objects.exists()
    call_command("import_redirects", str(good))
    out = capsys.readouterr().out
    assert "1 redirects created, 0 updated, 0 unchanged, 1 refused." in out
    assert "line 2: /x/ → /x.htm: /x/ would redirect to itself" in out
    assert rows() == {"/old/": "/new/"}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_redirects", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_redirects", str(tmp_path / "missing.csv"))


@pytest.mark.parametrize(
    "path",
    ["/%00/", "/%00.html", "/%ED%A0%80/", "/%C3%28/", "/%zz/", "/" + "a" * 300 + "/"],
)
def test_odd_paths_with_redirects_stored_are_a_404_not_an_error(client, path):
    save_redirect("/old-name/", "/new-name/")
    assert client.get(path).status_code == 404
