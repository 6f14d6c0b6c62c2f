"""The media library: pictures recorded when uploaded and when articles are
saved, with each use's own alt text; the admin page that lists, searches and
hands them to CKEditor's image dialog."""

import json
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import ImageUse, UploadedImage
from tests.factories import ArticleFactory, UserFactory, image_bytes, png_upload

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:articles_article_media")


def stored_picture(name, color=(10, 20, 30)):
    return default_storage.save(name, ContentFile(image_bytes("PNG", color=color)))


def img(name, alt=None, extra=""):
    alt_attribute = "" if alt is None else f' alt="{alt}"'
    return f'<p><img src="/media/{name}"{alt_attribute}{extra}></p>'


@pytest.fixture
def editor_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(editor=True))
    client.get(reverse("admin:articles_article_add"))  # sets the csrftoken cookie
    return client


def test_an_upload_through_the_editor_enters_the_library_under_its_own_name(editor_client):
    token = editor_client.cookies["csrftoken"].value
    response = editor_client.post(
        reverse("ckeditor_upload") + "?responseType=json",
        {"upload": png_upload("Knee Brace (side).png"), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    image = UploadedImage.objects.get()
    assert response.json()["url"] == image.file.url
    assert image.original_name == "Knee Brace (side).png"
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.png", image.file.name)
    assert image.preview.name.endswith("_thumb.png")
    assert default_storage.exists(image.preview.name)


def test_saving_an_article_records_each_picture_with_the_alt_text_it_has_there():
    brace = stored_picture("uploads/2025/01/02/brace.png")
    ArticleFactory(
        title="Braces", body=img(brace, "A knee brace") + img(brace, "", ' class="decorative"')
    )
    ArticleFactory(title="Taping", body=img(brace, "A brace beside kinesiology tape"))

    image = UploadedImage.objects.get(file=brace)
    uses = sorted((use.article.title, use.alt) for use in image.uses.select_related("article"))
    assert uses == [
        ("Braces", ""),
        ("Braces", "A knee brace"),
        ("Taping", "A brace beside kinesiology tape"),
    ]


def test_the_articles_own_picture_counts_as_a_use():
    article = ArticleFactory(with_image=True, body="<p>No pictures in the text.</p>")
    use = ImageUse.objects.get()
    assert use.image.file.name == article.image.name
    assert use.alt == "A runner on a hill"
    assert use.place == ImageUse.Place.LISTING
    assert use.image.preview.name == article.thumbnail.name


def test_saving_again_replaces_the_uses_and_ignores_files_that_are_not_stored():
    kept = stored_picture("uploads/a/kept.png")
    dropped = stored_picture("uploads/a/dropped.png")
    article = ArticleFactory(body=img(kept, "Kept") + img(dropped, "Dropped"))
    assert ImageUse.objects.filter(article=article).count() == 2

    article.body = img(kept, "Kept, in new words") + img("uploads/a/missing.png", "Missing")
    article.body += '<p><img src="https://elsewhere.example/x.png" alt="Elsewhere"></p>'
    article.save()

    assert [(u.image.file.name, u.alt) for u in ImageUse.objects.filter(article=article)] == [
        (kept, "Kept, in new words")
    ]
    assert not UploadedImage.objects.filter(file="uploads/a/missing.png").exists()
    # The picture stays in the library, unused.
    assert UploadedImage.objects.get(file=dropped).uses.count() == 0


def test_the_library_lists_pictures_with_where_each_is_used(editor_client):
    brace = stored_picture("uploads/2025/01/02/brace.png")
    article = ArticleFactory(title="Knee braces", body=img(brace, "A knee brace"))
    stored_picture("uploads/2025/01/03/unused.png")
    UploadedImage.objects.create(file="uploads/2025/01/03/unused.png", original_name="Shin.png")

    response = editor_client.get(LIBRARY)

    assert response.status_code == 200
    assertContains(response, "Shin.png")
    assertContains(response, "Not used in any article yet.")
    assertContains(response, "brace.png")
    change = reverse("admin:articles_article_change", args=[article.pk])
    assertContains(response, f'<a href="{change}">Knee braces</a>')
    assertContains(response, "“A knee brace”")
    assertNotContains(response, "media-library-choose")  # inserting is for the editor's dialog


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("shin", ["Shin.png"]),
        ("BRACE", ["brace.png"]),
        ("kinesiology", ["brace.png"]),
        ("", ["Shin.png", "brace.png"]),
        ("nothing", []),
    ],
)
def test_the_library_searches_file_names_and_alt_texts(editor_client, query, found):
    brace = stored_picture("uploads/b/brace.png")
    ArticleFactory(body=img(brace, "Kinesiology tape on a knee"))
    ArticleFactory(body=img(brace, "More kinesiology tape"))
    UploadedImage.objects.create(file="uploads/b/s.png", original_name="Shin.png")

    response = editor_client.get(LIBRARY, {"q": query})

    names = [entry.image.__str__() for entry in response.context["entries"]]
    assert sorted(names) == sorted(found)
    if not found:
        assertContains(response, "No picture's file name or alt text contains “nothing”.")


def test_the_library_is_paged_newest_first_at_a_fixed_number_of_queries(
    editor_client, django_assert_num_queries
):
    def add(count, start):
        for number in range(start, start + count):
            image = UploadedImage.objects.create(
                file=f"uploads/p/{number:03}.png", original_name=f"picture-{number:03}.png"
            )
            article = ArticleFactory(title=f"Article {number}")
            ImageUse.objects.create(article=article, image=image, alt=f"Alt {number}")

    add(2, 0)
    editor_client.get(LIBRARY)
    with django_assert_num_queries(6) as few:
        editor_client.get(LIBRARY)
    add(40, 2)
    with django_assert_num_queries(len(few.captured_queries)):
        first = editor_client.get(LIBRARY)
    second = editor_client.get(LIBRARY, {"page": "2"})

    assert len(first.context["entries"]) == 24
    assert str(first.context["entries"][0].image) == "picture-041.png"
    assert first.context["pager"].next.url == "?page=2"
    assert [str(e.image) for e in second.context["entries"]][-1] == "picture-000.png"
    assert editor_client.get(LIBRARY, {"page": "3"}).status_code == 404
    assert editor_client.get(LIBRARY, {"page": "x"}).status_code == 404


def test_a_file_name_or_alt_text_never_runs_as_script_in_the_library(editor_client):
    name = stored_picture("uploads/x/evil.png")
    hostile_alt = '"><img src=x onerror=alert(1)>'
    image = UploadedImage.objects.create(file=name, original_name="<script>alert(1)</script>.png")
    ImageUse.objects.create(article=ArticleFactory(), image=image, alt=hostile_alt)

    for query in ({}, {"CKEditorFuncNum": "2"}, {"q": "<script>"}):
        response = editor_client.get(LIBRARY, query)
        page = response.content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "onerror=alert(1)>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;.png" in page
    # The library page runs under the strict policy: our own scripts only.
    directives = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert directives["script-src"] == "'self'"


def test_in_the_editors_dialog_each_picture_offers_its_alt_texts_and_an_insert_button(
    editor_client,
):
    brace = stored_picture("uploads/c/brace.png")
    ArticleFactory(body=img(brace, "A knee brace"))
    ArticleFactory(body=img(brace, "A knee brace"))
    ArticleFactory(body=img(brace, "A brace on a runner"))

    response = editor_client.get(
        LIBRARY, {"CKEditor": "id_body", "CKEditorFuncNum": "7", "langCode": "en"}
    )

    assertContains(response, 'data-ckeditor-func-num="7"')
    assertContains(response, f'data-url="/media/{brace}"')
    # The alt text used most is proposed; the others are offered.
    assertContains(response, 'value="A knee brace"', count=2)
    assertContains(response, '<option value="A brace on a runner">')
    assertContains(response, 'src="/static/articles/admin/media-library.js"')
    assertContains(response, '<input type="hidden" name="CKEditorFuncNum" value="7">')


def test_a_dialog_number_that_is_not_a_number_is_ignored(editor_client):
    UploadedImage.objects.create(file="uploads/d/a.png", original_name="a.png")
    response = editor_client.get(LIBRARY, {"CKEditorFuncNum": "1);alert(1"})
    assertNotContains(response, "data-ckeditor-func-num")
    assertNotContains(response, "alert(1")


def test_the_editors_browse_server_opens_the_library(admin_client):
    for url in (reverse("admin:articles_article_add"), reverse("admin:articles_category_add")):
        page = admin_client.get(url).content.decode()
        configs = re.findall(r'data-config="([^"]+)"', page)
        assert configs, url
        config = json.loads(configs[0].replace("&quot;", '"').replace("&amp;", "&"))
        assert config["filebrowserBrowseUrl"] == LIBRARY


def test_only_those_who_may_change_articles_open_the_library(client, django_user_model):
    assert client.get(LIBRARY).status_code == 302  # to sign in
    reader_of_articles = UserFactory(is_staff=True, article_permissions=False)
    client.force_login(reader_of_articles)
    assert client.get(LIBRARY).status_code == 403
    client.force_login(UserFactory(editor=True))
    assert client.get(LIBRARY).status_code == 200


def test_the_command_enters_earlier_uploads_and_uses_once():
    used = stored_picture("uploads/2024/05/06/used.png")
    stored_picture("uploads/2024/05/06/used_thumb.png")
    loose = stored_picture("uploads/2024/05/07/loose.png")
    article = ArticleFactory(body=img(used, "A used picture"))
    # As on a site whose pictures came before the library.
    UploadedImage.objects.all().delete()

    out = StringIO()
    call_command("record_media_library", stdout=out)
    call_command("record_media_library", stdout=StringIO())

    assert "2 picture(s) added to the media library" in out.getvalue()
    assert sorted(UploadedImage.objects.values_list("file", flat=True)) == sorted([loose, used])
    assert UploadedImage.objects.get(file=used).preview.name == "uploads/2024/05/06/used_thumb.png"
    assert [(u.article, u.alt) for u in ImageUse.objects.all()] == [(article, "A used picture")]
