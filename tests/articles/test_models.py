from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category
from articles.sitemaps import CategorySitemap
from articles.slugs import RESERVED_SLUGS
from articles.text import cut_at_word
from tests.factories import ArticleFactory, CategoryFactory, png_upload

pytestmark = pytest.mark.django_db


def test_published_holds_exactly_the_published_articles_whose_time_has_come():
    now = timezone.now()
    cases = {
        "published-past": dict(status="published", published_at=now - timedelta(minutes=1)),
        "published-future": dict(status="published", published_at=now + timedelta(minutes=5)),
        "draft-past": dict(status="draft", published_at=now - timedelta(minutes=1)),
        "draft-future": dict(status="draft", published_at=now + timedelta(minutes=5)),
    }
    category = CategoryFactory()
    for slug, fields in cases.items():
        ArticleFactory(slug=slug, category=category, **fields)

    assert set(Article.objects.published().values_list("slug", flat=True)) == {"published-past"}
    for article in Article.objects.all():
        assert article.is_published == (article.slug == "published-past")
    # The home page's lists and the sitemap's hub dates state the rule through
    # published_condition, inside conditions a queryset cannot carry.
    (listed,) = Category.objects.with_newest_articles(10)
    assert [article.slug for article in listed.newest_articles] == ["published-past"]
    (hub,) = CategorySitemap(request=None).items()
    assert hub.last_changed == Article.objects.get(slug="published-past").updated_at


def test_an_article_slug_used_by_a_category_is_refused():
    CategoryFactory(slug="knee-pain")
    article = ArticleFactory.build(slug="knee-pain", category=CategoryFactory())
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "/knee-pain/ is already used by the injury category" in str(error.value)


def test_a_category_slug_used_by_an_article_is_refused():
    ArticleFactory(slug="shin-splints")
    category = CategoryFactory.build(slug="shin-splints")
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert "already used by the article" in str(error.value)


@pytest.mark.parametrize("slug", sorted(s for s in RESERVED_SLUGS if "." not in s))
def test_reserved_paths_cannot_be_taken_by_articles_or_categories(slug):
    for obj in (
        ArticleFactory.build(slug=slug, category=CategoryFactory()),
        CategoryFactory.build(slug=slug),
    ):
        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        assert "reserved" in str(error.value)


def test_an_image_without_alt_text_is_refused():
    article = ArticleFactory.build(category=CategoryFactory(), image=png_upload(), image_alt="  ")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "image_alt" in error.value.message_dict


def test_saving_an_image_makes_a_fixed_size_thumbnail_once():
    article = ArticleFactory(with_image=True)
    path = article.thumbnail.path
    with Image.open(path) as thumb:
        assert thumb.size == settings.THUMBNAIL_SIZE
    first_name = article.thumbnail.name

    reloaded = Article.objects.get(pk=article.pk)
    reloaded.title = "A new title"
    reloaded.save()
    assert reloaded.thumbnail.name == first_name


def test_removing_the_image_removes_the_thumbnail():
    article = ArticleFactory(with_image=True)
    article.image = ""
    article.image_alt = ""
    article.save()
    assert not Article.objects.get(pk=article.pk).thumbnail


def test_summary_is_the_excerpt_when_given():
    article = ArticleFactory(excerpt="Short and sweet.", body="<p>Something else entirely.</p>")
    assert article.summary == "Short and sweet."


def test_summary_falls_back_to_the_body_text_without_markup():
    article = ArticleFactory(excerpt="", body="<p>First &amp; foremost.</p><p>Second line.</p>")
    assert article.summary == "First & foremost. Second line."


def test_a_long_summary_is_cut_at_a_word_boundary_and_ends_with_an_ellipsis():
    words = "stride " * 60
    article = ArticleFactory(excerpt="", body=f"<p>{words}</p>")
    assert article.summary.endswith("stride…")
    assert len(article.summary) <= settings.EXCERPT_LENGTH + 1
    assert "strid…" not in article.summary


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short text.", 200, "Short text."),
        ("a" * 200, 200, "a" * 200),
        ("word " * 50, 200, ("word " * 40).strip() + "…"),
        ("alpha, beta gamma", 12, "alpha, beta…"),
        ("alpha, beta, gamma", 12, "alpha, beta…"),
        ("unbreakable" * 3, 12, "unbreakableu…"),
    ],
)
def test_excerpts_are_cut_at_a_word_boundary_with_an_ellipsis_only_when_cut(text, limit, expected):
    assert cut_at_word(text, limit) == expected


def test_stored_body_is_sanitised_when_saved():
    article = ArticleFactory(body='<p onclick="steal()">Hi<script>alert(1)</script></p>')
    assert article.body == "<p>Hi</p>"
