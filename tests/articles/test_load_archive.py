import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Category

pytestmark = pytest.mark.django_db


def test_load_archive_makes_published_articles_with_long_bodies_and_reused_pictures():
    call_command("load_archive", articles=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    archive = Article.objects.filter(slug__startswith="archive-")
    assert archive.count() == 30
    assert archive.published().count() == 30
    demo_pictures = set(Article.objects.exclude(slug__startswith="archive-").values_list("image", flat=True))
    for article in archive:
        assert len(article.body) > 15_000
        assert article.summary
        assert article.image.name in demo_pictures
    # Spread over the demo categories and categories of its own.
    assert archive.values("category").distinct().count() > 3
    assert len(set(archive.values_list("published_at", flat=True))) == 30


def test_load_archive_again_replaces_the_archive_and_keeps_the_rest():
    out = io.StringIO()
    call_command("load_archive", articles=20, stdout=out)
    categories = Category.objects.count()
    call_command("load_archive", articles=5, stdout=out)
    assert Article.objects.filter(slug__startswith="archive-").count() == 5
    assert Article.objects.filter(slug="runners-knee").exists()
    assert Category.objects.count() == categories


def test_load_archive_refuses_comments_until_the_comment_system_exists():
    with pytest.raises(CommandError, match="comments app"):
        call_command("load_archive", articles=1, comments=10, stdout=open("/dev/null", "w"))  # noqa: SIM115
