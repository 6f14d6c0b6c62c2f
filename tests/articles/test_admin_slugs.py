import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def article_form(category, **overrides):
    data = {
        "title": "Knee pain",
        "slug": "knee-pain",
        "category": category.pk,
        "body": "<p>Text.</p>",
        "excerpt": "",
        "image_alt": "",
        "status": "published",
        "published_at_0": "2025-01-01",
        "published_at_1": "10:00:00",
        # Publishing needs one (articles/publish_checks.py).
        "meta_description": "Why knees hurt, in one sentence.",
        "author": "",
    }
    return {**data, **overrides}


def test_the_admin_refuses_an_article_slug_taken_by_a_category_and_keeps_the_input(admin_client):
    category = CategoryFactory(slug="knee-pain", title="Knee pain hub")
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(category, title="My typed title")
    )
    assert response.status_code == 200
    assertContains(response, "The address /knee-pain/ is already used by the injury category")
    assertContains(response, 'value="My typed title"')
    assert not Article.objects.exists()


def test_the_admin_refuses_a_reserved_slug(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(CategoryFactory(), slug="search")
    )
    assertContains(response, "is reserved for a page of the site itself")


def test_the_admin_refuses_a_category_slug_taken_by_an_article(admin_client):
    ArticleFactory(slug="shin-splints")
    response = admin_client.post(
        reverse("admin:articles_category_add"),
        {
            "title": "Shins",
            "slug": "shin-splints",
            "intro": "",
            "position": 0,
            "meta_description": "",
        },
    )
    assertContains(response, "already used by the article")


def test_an_editor_saves_an_article_and_can_view_it_on_the_site(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(CategoryFactory())
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="knee-pain")
    change = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(change, "View on site")
    assertContains(change, "ckeditor")
    changelist = admin_client.get(reverse("admin:articles_article_changelist"))
    assertContains(changelist, "Knee pain")
