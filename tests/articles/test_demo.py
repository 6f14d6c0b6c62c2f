import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article, Category

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "categories": [model_to_dict(c) for c in Category.objects.order_by("pk")],
        "articles": [
            {
                **model_to_dict(a, exclude=["image", "thumbnail"]),
                "image": a.image.name,
                "thumbnail": a.thumbnail.name,
                "updated_at": a.updated_at,
            }
            for a in Article.objects.order_by("pk")
        ],
    }


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first


def test_the_demo_fills_recent_articles_from_several_categories_with_one_image_less():
    call_command("load_demo")
    recent = list(Article.objects.published()[:10])
    assert len(recent) == 10
    assert len({article.category_id for article in recent}) > 1
    assert (
        len({article.published_at for article in Article.objects.all()}) == Article.objects.count()
    )
    assert any(not article.image for article in recent)
    assert all(article.image_alt for article in Article.objects.exclude(image=""))


def test_the_demo_runners_knee_page_has_every_block_of_the_source_page(client):
    call_command("load_demo")
    knee = Article.objects.get(slug="runners-knee")
    it_band = Article.objects.get(slug="it-band-syndrome")
    response = client.get(knee.get_absolute_url())
    body = knee.body
    assert body.index("<p>") < body.index('<p class="note">') < body.index("<h2 ")
    assert body.count("<h2 ") >= 3
    assert body.count("<ul>") == 2
    assert 'alt="' in body
    assertContains(response, f'href="{it_band.get_absolute_url()}"')
    assertContains(response, "doctor or physiotherapist")
    assertContains(response, "Return to Are You Prone to Running Injuries?")
    assert client.get(reverse("articles:home")).status_code == 200
