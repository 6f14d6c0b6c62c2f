"""manage.py import_wordpress on an export of our own making
(tests/moving/data/wordpress/site.xml: every kind of item, status, comment
and content the import meets)."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command

from articles.models import Article, Category
from comments.models import Comment
from moving.models import ImportedPage
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "wordpress"
SITE = DATA / "site.xml"


def run(*args, export=SITE):
    out = StringIO()
    call_command("import_wordpress", str(export), *args, stdout=out)
    return out.getvalue()


def count_line(report, name):
    """The number on the report's line `name: N`."""
    for line in report.splitlines():
        if line.startswith(name + ":") and not line.endswith(":"):
            return int(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no line {name!r} in the report:\n{report}")


def articles():
    return {article.slug: article for article in Article.objects.select_related("category")}


def test_posts_and_pages_become_articles_in_their_categories_with_their_dates():
    run()

    found = articles()
    assert set(found) == {
        "runners-knee",
        "it-band-syndrome",
        "shin-splints-notes",
        "training-log",
        "plantar-fasciitis",
        "race-plans",
        "search-2",
        "about",
    }
    knee = found["runners-knee"]
    assert knee.title == "What is runner's knee?"
    assert knee.category.slug == "knee"  # the most specific of "injuries" and "knee"
    assert knee.published_at == datetime(2019, 5, 14, 10, 0, tzinfo=UTC)
    assert knee.excerpt == "A dull ache around the kneecap, worse downhill."
    assert knee.meta_description == "Why the front of your knee aches after a run, and what helps."
    assert knee.comments_enabled
    assert not found["it-band-syndrome"].comments_enabled
    assert found["about"].category.slug == "pages"
    assert found["shin-splints-notes"].category.slug == "injuries"
    assert found["training-log"].category.slug == "uncategorized"
    assert found["search-2"].title == "Search for the cause"  # /search/ is the site's own


def test_each_wordpress_status_becomes_what_the_report_says():
    report = run()

    found = articles()
    published = set(Article.objects.published().values_list("slug", flat=True))
    assert published == {"runners-knee", "it-band-syndrome", "search-2", "about"}
    assert found["plantar-fasciitis"].status == "published"
    assert found["plantar-fasciitis"].is_scheduled  # future on WordPress
    for slug in ("shin-splints-notes", "training-log", "race-plans"):
        assert found[slug].status == "draft", slug
    assert not Article.objects.filter(title__in=["An old post I threw away", "Home"]).exists()
    assert "  - private (1): imported as a draft (private on WordPress" in report
    assert "  - trash (1): skipped (in WordPress's trash)" in report
    assert "  - future (1): published at its future date (scheduled)" in report
    assert "  - auto-draft (1): skipped" in report
    assert "Password-protected items imported as drafts:\n  - post 21" in report
    assert "nav_menu_item 40 “Home”: a nav_menu_item: WordPress's own, not content" in report
    assert "revision 23" in report
    assert count_line(report, "Attachments (kept only as the images posts show)") == 1


def test_as_drafts_imports_everything_unpublished():
    report = run("--as-drafts")
    assert not Article.objects.filter(status="published").exists()
    assert "publish (5): imported as a draft (--as-drafts)" in report


def test_categories_are_created_with_their_parents_and_unused_ones_are_left_out():
    report = run()

    slugs = list(Category.objects.order_by("position").values_list("slug", flat=True))
    assert slugs.index("injuries") + 1 == slugs.index("knee")  # a child right after its parent
    assert slugs[-1] == "pages"  # made for the pages, after the export's own
    assert set(slugs) == {"injuries", "knee", "uncategorized", "feet", "pages"}
    assert Category.objects.get(slug="knee").title == "Knee pain"
    assert "Everything about sore knees." in Category.objects.get(slug="knee").intro
    assert "Categories skipped (no imported post uses them):\n  - shoes" in report
    assert "feet: its parent 'lower-body' is not in the export" in report


def test_classic_content_gets_its_paragraphs_and_captions_and_loses_other_shortcodes():
    report = run()
    body = Article.objects.get(slug="runners-knee").body

    assert "<p>Runner's knee is a dull ache around the kneecap.<br>" in body
    figure = body[body.index("<figure>") : body.index("</figure>")]
    assert "<figcaption>Where it hurts: around the kneecap</figcaption>" in figure
    assert 'alt="A runner holding her knee"' in figure
    assert '<img src="https://old-running.example/wp-content/uploads/2019/05/knee-300x200.jpg"' in (
        body
    )
    for shortcode in ("[gallery", "[su_box", "[caption"):
        assert shortcode not in body
    assert "See a physio if it lasts more than two weeks." in body  # enclosed text kept
    assert "<script" not in body
    assert "never" not in body
    assert "post 12 “What is runner's knee?”: gallery, su_box" in report


def test_links_between_posts_point_at_their_new_addresses():
    report = run()
    knee = Article.objects.get(slug="runners-knee").body
    band = Article.objects.get(slug="it-band-syndrome").body

    assert '<a href="/it-band-syndrome/">IT band syndrome</a>' in knee
    assert '<a href="/it-band-syndrome/">the same page by its number</a>' in knee
    assert '<a href="https://www.nhs.example/knee">' in knee
    assert '<a href="/runners-knee/">' in band  # /?p=12, a post listed before it
    assert "Links to the old site left as they are:\n  - https://old-running.example/tag/pain/" in (
        report
    )


def test_block_content_loses_its_block_comments_and_keeps_figures_and_videos():
    run()
    band = Article.objects.get(slug="it-band-syndrome").body

    assert "wp:" not in band
    assert "<p>The IT band runs down the outside of the thigh." in band
    assert '<h2 id="stretches">Stretches</h2>' in band
    assert "<figcaption>Lean away from the sore side</figcaption>" in band
    assert 'src="https://www.youtube-nocookie.com/embed/abcdefghijk"' in band
    assert "[embed]" not in band


def test_headings_the_site_lacks_are_mapped_and_tables_are_reported():
    report = run()
    body = Article.objects.get(slug="search-2").body
    assert "Looking for the cause</h2>" in body
    assert "<h4>A small heading</h4>" in body
    assert "Week 1" in body
    assert "post 22 “Search for the cause”: table" in report
    assert "post 22 “Search for the cause”: /search/ → /search-2/" in report


def test_comments_keep_their_threads_dates_and_statuses():
    run()
    knee = Article.objects.get(slug="runners-knee")
    comments = {comment.name: comment for comment in Comment.objects.filter(article=knee)}

    assert set(comments) == {"Alice", "Ben", "Cara", "Eve", "Fay"}
    assert comments["Ben"].parent == comments["Alice"]  # listed before its parent
    assert comments["Cara"].parent == comments["Alice"]
    assert comments["Cara"].status == "pending"
    assert {comments[n].status for n in ("Alice", "Ben", "Eve", "Fay")} == {"approved"}
    assert comments["Alice"].created_at == datetime(2019, 5, 15, 8, 15, tzinfo=UTC)
    assert comments["Alice"].email == "alice@example.com"
    assert comments["Alice"].ip == "198.51.100.10"
    assert (
        comments["Alice"].text
        == "My knee hurts on hills too. See my notes (https://alice.example/hills)."
    )
    assert (
        comments["Ben"].text == "Same here.\n\n> Rest from running downhill\n\nThat worked for me."
    )
    assert comments["Ben"].website == "https://ben.example/"
    assert (comments["Eve"].email, comments["Eve"].website, comments["Eve"].ip) == ("", "", None)
    assert comments["Fay"].parent is None  # its parent was spam
    assert comments["Alice"].disqus_id == "wp-101"
    assert knee.comment_tally.approved == 4


def test_replies_that_lead_back_to_themselves_are_kept_at_the_top_level():
    report = run()
    band = Article.objects.get(slug="it-band-syndrome")
    comments = {comment.name: comment for comment in Comment.objects.filter(article=band)}

    assert set(comments) == {"Ivy", "Jon", "Kim", "Lee"}
    assert comments["Ivy"].parent is None
    assert comments["Jon"].parent == comments["Ivy"]
    assert comments["Kim"].parent is None
    assert comments["Lee"].disqus_id == ""  # no id: known again by its text
    assert comments["Lee"].fingerprint
    assert "comment 201 on post 14 “IT band syndrome”: parent 202 (its replies lead back" in report
    assert "comment 203 on post 14 “IT band syndrome”: parent 203 (its replies lead back" in report


def test_the_report_counts_and_names_what_was_done_and_left_out(tmp_path):
    report_file = tmp_path / "wordpress-report.txt"
    report = run("--report", str(report_file))

    assert report.startswith("Importing the WordPress export site.xml\nImport finished.\n")
    assert count_line(report, "Items in the export") == 14
    assert count_line(report, "Posts imported") == 7
    assert count_line(report, "Pages imported") == 1
    assert count_line(report, "Items skipped") == 5
    assert count_line(report, "Comments imported (approved)") == 8
    assert count_line(report, "Comments imported (pending)") == 1
    assert count_line(report, "Comments left out (marked spam)") == 1
    assert count_line(report, "Comments left out (a pingback)") == 1
    assert count_line(report, "Comments left out (in the trash)") == 1
    assert "comment 106 on post 12 “What is runner's knee?”: its date 'sometime'" in report
    assert "comment 107 on post 12 “What is runner's knee?”: invalid e-mail" in report
    assert "comment 108 on post 12 “What is runner's knee?”: parent 104 (marked spam)" in report
    assert "post 19 “A post with a broken date”: its date '2019-13-45 99:00:00'" in report
    assert count_line(report, "Redirects created") == Redirect.objects.count()
    assert report_file.read_text(encoding="utf-8") in report


def test_a_second_run_changes_nothing():
    run()
    before = {
        "articles": list(Article.objects.values_list("pk", "slug", "body", "updated_at")),
        "revisions": Article.history.count(),
        "comments": list(Comment.objects.values_list("pk", "parent_id", "status")),
        "categories": list(Category.objects.values_list("pk", "slug", "position")),
        "redirects": list(Redirect.objects.values_list("old_path", "new_path")),
        "records": ImportedPage.objects.count(),
    }

    report = run()

    assert {
        "articles": list(Article.objects.values_list("pk", "slug", "body", "updated_at")),
        "revisions": Article.history.count(),
        "comments": list(Comment.objects.values_list("pk", "parent_id", "status")),
        "categories": list(Category.objects.values_list("pk", "slug", "position")),
        "redirects": list(Redirect.objects.values_list("old_path", "new_path")),
        "records": ImportedPage.objects.count(),
    } == before
    assert count_line(report, "Posts imported") == 0
    assert count_line(report, "Articles unchanged") == 8
    assert count_line(report, "Comments already imported") == 9
    assert count_line(report, "Redirects created") == 0
    assert count_line(report, "Redirects already there") == len(before["redirects"])
    assert "Comments repaired" not in report  # those were repaired the first time


def test_an_article_edited_in_the_admin_is_left_alone_unless_overwrite():
    run()
    knee = Article.objects.get(slug="runners-knee")
    knee.title = "Runner's knee, rewritten by the editor"
    knee.save()

    report = run()

    assert Article.objects.get(pk=knee.pk).title == "Runner's knee, rewritten by the editor"
    assert (
        count_line(
            report,
            "Edited in the admin since the import (left as they are; --overwrite replaces them)",
        )
        == 1
    )
    assert "  - post 12 “What is runner's knee?” → /runners-knee/" in report

    report = run("--overwrite")

    assert Article.objects.get(pk=knee.pk).title == "What is runner's knee?"
    assert "Articles updated:\n  - post 12 “What is runner's knee?” → /runners-knee/" in report
    assert "(left as they are; --overwrite replaces them): 0" in report


def test_the_dry_run_prints_the_same_report_and_writes_nothing():
    dry = run("--dry-run")

    assert not Article.objects.exists()
    assert not Category.objects.exists()
    assert not Comment.objects.exists()
    assert not Redirect.objects.exists()
    assert not ImportedPage.objects.exists()
    assert dry.splitlines()[1] == "Dry run: nothing was written. This is what the import will do."
    real = run()
    assert dry.splitlines()[2:] == real.splitlines()[2:]


def test_slugs_taken_on_the_site_are_numbered_and_categories_there_are_reused():
    ArticleFactory(slug="runners-knee", title="An article written here")
    CategoryFactory(slug="knee", title="Knees (ours)")

    report = run()

    assert Article.objects.get(title="What is runner's knee?").slug == "runners-knee-2"
    assert Category.objects.filter(slug="knee").count() == 1
    assert Article.objects.get(slug="it-band-syndrome").category.title == "Knees (ours)"
    assert "Categories already on the site (used as they are):\n  - Knees (ours)" in report
    assert Redirect.objects.get(old_path="/?p=12").new_path == "/runners-knee-2/"


def test_a_wxr_1_1_export_imports_too():
    report = run(export=DATA / "wxr-1.1.xml")
    article = Article.objects.get(slug="achilles-tendinitis")
    assert article.category.title == "Achilles"
    assert article.body == "<p>The tendon above the heel.</p>\n<p>Calf raises help.</p>"
    assert article.comments.get().text == "Calf raises fixed mine."
    assert Redirect.objects.get(old_path="/2011/04/achilles-tendinitis/").new_path == (
        "/achilles-tendinitis/"
    )
    assert count_line(report, "Posts imported") == 1
    assert "post 7 “Achilles tendinitis (pasted twice)”: listed twice in the export (/?p=7)" in (
        report
    )
    assert Article.objects.count() == 1


def test_categories_whose_parents_loop_and_a_post_without_an_id_still_import():
    report = run(export=DATA / "category-loop.xml")
    article = Article.objects.get(slug="calf-strain")
    assert article.category.slug == "calves"
    assert set(Category.objects.values_list("slug", flat=True)) == {"calves", "shins"}
    assert "its parents make a loop" in report
    assert ImportedPage.objects.get(article=article).old_address == "/calf-strain/"

    assert count_line(run(export=DATA / "category-loop.xml"), "Articles unchanged") == 1
