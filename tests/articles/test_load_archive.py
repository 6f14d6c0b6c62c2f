import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from affiliates.models import AffiliateLink
from articles.models import Article, Category
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_load_archive_makes_published_articles_with_long_bodies_and_reused_pictures():
    call_command("load_archive", articles=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    archive = Article.objects.filter(slug__startswith="archive-")
    assert archive.count() == 30
    assert archive.published().count() == 30
    demo_pictures = set(
        Article.objects.exclude(slug__startswith="archive-").values_list("image", flat=True)
    )
    for article in archive:
        assert len(article.body) > 15_000
        assert article.summary
        # The fields pages and search read, as save() would have filled them.
        assert len(article.body_text) > 10_000
        assert "<" in article.body_html
        assert article.image.name in demo_pictures
    # Spread over the demo categories and categories of its own.
    assert archive.values("category").distinct().count() > 3
    assert len(set(archive.values_list("published_at", flat=True))) == 30
    # Site search finds archive articles by words in their bodies.
    assert (
        Article.objects.published().search("kneecap").filter(slug__startswith="archive-").exists()
    )


def test_archive_articles_share_the_demo_thumbnails_so_a_body_edit_changes_no_listing():
    """bench/warm_cache.py's editor corrects archive bodies: such a save must
    stay a change of the article's page alone, not make thumbnails anew."""
    call_command("load_archive", articles=6, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for article in Article.objects.filter(slug__startswith="archive-").exclude(image=""):
        assert article.thumbnail.name
        assert article.thumbnail_webp.name.endswith(".webp")
        before = (article.thumbnail.name, article.thumbnail_webp.name)
        article.body += "<p>One more sentence.</p>"
        article.save()
        article.refresh_from_db()
        assert (article.thumbnail.name, article.thumbnail_webp.name) == before


def test_load_archive_again_replaces_the_archive_and_keeps_the_rest():
    out = io.StringIO()
    call_command("load_archive", articles=20, stdout=out)
    categories = Category.objects.count()
    call_command("load_archive", articles=5, stdout=out)
    assert Article.objects.filter(slug__startswith="archive-").count() == 5
    assert Article.objects.filter(slug="runners-knee").exists()
    assert Category.objects.count() == categories


def test_load_archive_makes_approved_comment_threads_with_replies():
    call_command("load_archive", articles=8, comments=900, stdout=io.StringIO())
    archive = Comment.objects.filter(article__slug__startswith="archive-")
    assert archive.count() == 900
    assert archive.approved().count() == 900
    replies = archive.filter(parent__isnull=False).select_related("parent")
    assert 50 < replies.count() < 400
    for reply in replies:
        assert reply.parent.article_id == reply.article_id
        assert reply.parent.parent_id is None
        assert reply.created_at >= reply.parent.created_at
    # A long thread on the benchmark's article, and comments on the others too.
    assert archive.filter(article__slug="archive-1-runners-knee").count() >= 600
    assert archive.values("article").distinct().count() == 8
    assert len(set(archive.values_list("text", flat=True))) > 100


def test_load_archive_again_replaces_the_archive_comments_and_keeps_the_others():
    out = io.StringIO()
    call_command("load_archive", articles=3, comments=50, stdout=out)
    others = Comment.objects.exclude(article__slug__startswith="archive-").count()
    call_command("load_archive", articles=3, comments=20, stdout=out)
    assert Comment.objects.filter(article__slug__startswith="archive-").count() == 20
    assert Comment.objects.exclude(article__slug__startswith="archive-").count() == others


def test_load_archive_makes_an_affiliate_link_the_go_address_redirects_to(client):
    call_command("load_archive", articles=1, stdout=io.StringIO())
    link = AffiliateLink.objects.get(slug="archive-knee-strap")
    link.full_clean()  # the destination passes the allow-list
    response = client.get(reverse("affiliates:go", args=[link.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith("https://www.amazon.com/dp/")
