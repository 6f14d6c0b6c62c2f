"""manage.py import_disqus, on a small export written for the tests."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comments.disqus import read_url_map
from comments.models import Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "disqus-export.xml"
URL_MAP = DATA / "url-map.csv"


@pytest.fixture
def articles():
    return {
        slug: ArticleFactory(slug=slug)
        for slug in ("runners-knee", "it-band-syndrome", "shin-splints")
    }


def run(*args):
    out = StringIO()
    call_command("import_disqus", str(EXPORT), *args, stdout=out)
    return out.getvalue()


def test_the_export_is_imported_as_approved_comments_with_authors_dates_and_replies(articles):
    output = run("--url-map", str(URL_MAP))

    knee = Comment.objects.filter(article=articles["runners-knee"])
    alice = knee.get(name="Alice")
    ben = knee.get(name="Ben")
    anonymous = knee.get(name="Anonymous Runner")
    carl = knee.get(name="Carl")
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert alice.parent is None
    assert ben.parent == alice
    assert anonymous.parent == ben
    assert carl.parent is None  # its parent was deleted: kept, at the top level
    assert alice.email == "alice@example.com"
    assert alice.ip == "198.51.100.10"
    assert anonymous.email == ""
    assert anonymous.ip is None
    assert alice.created_at == datetime(2016, 3, 2, 8, 15, tzinfo=UTC)
    assert (
        alice.text == "Going downstairs hurts the most.\n\nAny tips? See https://example.com/knee"
    )
    assert ben.text == "Same here & thanks for asking."
    assert anonymous.text == "Try step-downs.\nSlowly."
    assert not knee.filter(name__in=["Deleted", "Spammer"]).exists()
    # Matched through the URL map and through the thread's identifier.
    assert Comment.objects.get(article=articles["it-band-syndrome"]).name == "Dana"
    assert Comment.objects.get(article=articles["shin-splints"]).name == "Erin"
    assert Comment.objects.count() == 6

    assert "Imported: 6" in output
    assert "Skipped as deleted or spam: 2" in output
    assert "Orphans whose parent is missing (imported as top-level comments): 1" in output
    assert "Threads with no matching article: 1 (1 posts not imported)" in output
    assert "  https://www.old-injury-site.example/page-that-is-gone.html" in output
    assert "Processed 9 of 9 posts" in output


def test_a_second_import_adds_nothing(articles):
    run("--url-map", str(URL_MAP))
    before = list(Comment.objects.order_by("pk").values_list("pk", "parent_id", "text"))

    output = run("--url-map", str(URL_MAP))

    assert list(Comment.objects.order_by("pk").values_list("pk", "parent_id", "text")) == before
    assert "Imported: 0" in output
    assert "Already imported before: 6" in output


def test_a_dry_run_counts_everything_and_stores_nothing(articles):
    output = run("--dry-run", "--url-map", str(URL_MAP))

    assert not Comment.objects.exists()
    assert "Dry run: nothing was stored." in output
    assert "Would import: 6" in output


def test_without_the_url_map_a_changed_address_is_listed_as_unmatched(articles):
    output = run()

    assert not Comment.objects.filter(article=articles["it-band-syndrome"]).exists()
    assert "Threads with no matching article: 2" in output
    assert "  http://old-injury-site.example/injuries/outer-knee-pain.html?utm=1" in output


def test_imported_comments_show_on_the_article_in_their_threads(client, articles):
    run()
    page = client.get(articles["runners-knee"].get_absolute_url()).content.decode()
    assert '<h2 id="comments-heading">4 Comments</h2>' in page
    assert "alice@example.com" not in page


def test_a_missing_export_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No export file at"):
        call_command("import_disqus", str(tmp_path / "missing.xml"))


def test_the_url_map_skips_its_header_and_notes_and_matches_paths_or_full_urls():
    rows = [
        "old_url,slug",
        "# a note",
        "https://old.example/Outer-Knee.html,it-band-syndrome",
        "/shins.html,/shin-splints/",
    ]
    assert read_url_map(rows) == {
        "/outer-knee.html": "it-band-syndrome",
        "/shins.html": "shin-splints",
    }
