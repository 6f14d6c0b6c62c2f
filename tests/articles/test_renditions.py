import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from articles.models import Article, Rendition
from tests.factories import ArticleFactory, image_bytes

pytestmark = pytest.mark.django_db


def store(name, fmt="JPEG", size=(1600, 1000)):
    return default_storage.save(name, ContentFile(image_bytes(fmt, size=size)))


def test_body_images_get_webp_and_original_format_copies_at_fixed_widths(settings):
    name = store("uploads/2025/01/02/knee.jpg")
    article = ArticleFactory(
        body=f'<p>Intro</p><h2>Causes</h2><p><img src="/media/{name}" alt="Knee"></p>'
    )
    made = {(r.format, r.width, r.height) for r in Rendition.objects.filter(source=name)}
    assert made == {
        (fmt, width, round(1000 * width / 1600))
        for fmt in ("jpeg", "webp")
        for width in settings.IMAGE_RENDITION_WIDTHS
    }
    for rendition in Rendition.objects.all():
        with Image.open(rendition.file.path) as image:
            assert image.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]
            assert image.size == (rendition.width, rendition.height)
    html = article.body_html
    assert html.startswith(
        '<p>Intro</p><h2 id="causes">Causes</h2><p><picture><source type="image/webp"'
    )
    assert re.search(
        r'srcset="[^"]+-480\.webp 480w, [^"]+-800\.webp 800w, [^"]+-1200\.webp 1200w"', html
    )
    assert 'width="1200" height="750"' in html
    assert 'loading="lazy"' in html
    assert 'alt="Knee"' in html


def test_renditions_are_made_once_and_kept(settings):
    name = store("uploads/a.png", "PNG", size=(900, 300))
    body = f'<p><img src="/media/{name}" alt="A"></p>'
    ArticleFactory(body=body)
    first = {r.pk: r.file.name for r in Rendition.objects.all()}
    ArticleFactory(body=body)
    article = Article.objects.first()
    article.save()
    assert {r.pk: r.file.name for r in Rendition.objects.all()} == first
    # Never enlarged: a 900px original gets 480, 800 and its own 900, not 1200.
    assert sorted({r.width for r in Rendition.objects.all()}) == [480, 800, 900]


def test_the_first_image_above_the_first_section_loads_at_once(settings):
    one, two = store("uploads/one.jpg"), store("uploads/two.jpg")
    article = ArticleFactory(
        body=f'<p><img src="/media/{one}" alt="1"></p><h2>Next</h2><p><img src="/media/{two}" alt="2"></p>'
    )
    tags = re.findall(r"<img [^>]*>", article.body_html)
    assert 'loading="eager"' in tags[0]
    assert 'loading="lazy"' in tags[1]


def test_ckeditor_style_sizes_become_attributes_so_images_scale_on_small_screens():
    article = ArticleFactory(
        body='<p><img src="/elsewhere.png" alt="x" style="width:640px;height:400px"></p>'
    )
    assert (
        '<img src="/elsewhere.png" alt="x" width="640" height="400" loading="eager"'
        in article.body_html
    )
    assert "style" not in article.body_html


def test_the_article_page_serves_the_rendered_body_and_every_copy_loads(client, settings):
    name = store("uploads/page.jpg", size=(1000, 500))
    article = ArticleFactory(body=f'<p><img src="/media/{name}" alt="Road"></p>')
    html = client.get(reverse("articles:page", kwargs={"slug": article.slug})).content.decode()
    assert "<picture>" in html
    for url in set(re.findall(r"(/media/renditions/[^\s\"]+)", html)):
        assert (Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")).exists()


def test_listings_offer_a_webp_thumbnail_beside_the_jpeg(client):
    article = ArticleFactory(with_image=True)
    with Image.open(article.thumbnail_webp.path) as thumb:
        assert thumb.format == "WEBP"
        assert thumb.size == (160, 120)
    response = client.get(reverse("articles:home"))
    html = response.content.decode()
    assert f'<source type="image/webp" srcset="{article.thumbnail_webp.url}">' in html
    assert f'src="{article.thumbnail.url}"' in html


def test_the_demo_runners_knee_page_shows_contents_credits_and_resized_body_picture(client):
    call_command("load_demo")
    knee = Article.objects.get(slug="runners-knee")
    html = client.get(knee.get_absolute_url()).content.decode()
    assert (
        html.index('class="note"') < html.index('class="toc"') < html.index('<h2 id="what-causes')
    )
    assert 'Medically reviewed by <a href="/reviewers/dr-lena-park/">Dr Lena Park, MD' in html
    assert '<source type="image/webp"' in html
    assert 'width="800" height="500"' in html
