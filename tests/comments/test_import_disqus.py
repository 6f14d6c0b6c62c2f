"""manage.py import_disqus, on a small export written for the tests."""

import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from comments.disqus import BATCH
from comments.models import Comment
from comments.old_addresses import read_url_map
from comments.text import text_from_html
from tests.comments.disqus_files import post, thread, write_export
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "disqus-export.xml"
URL_MAP = DATA / "url-map.csv"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def articles():
    return {
        slug: ArticleFactory(slug=slug)
        for slug in ("runners-knee", "it-band-syndrome", "shin-splints")
    }


def run(*args, export=EXPORT):
    out = StringIO()
    call_command("import_disqus", str(export), *args, stdout=out)
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

    assert "Posts in the export: 9" in output
    assert "Imported: 6" in output
    assert "Left out: 2\n  post 3004: marked deleted\n  post 3005: marked spam\n" in output
    assert (
        "Replies whose parent is missing (imported at the top level): 1\n"
        "  post 3006: parent 3004 (marked deleted)\n"
    ) in output
    assert "Threads with no matching article: 1 (1 posts not imported)" in output
    assert "  https://www.old-injury-site.example/page-that-is-gone.html (1 post)" in output


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
    assert "  http://old-injury-site.example/injuries/outer-knee-pain.html?utm=1 (1 post)" in output


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


def test_threads_at_index_php_htm_percent_encoded_and_wordpress_addresses_find_their_article(
    tmp_path,
):
    slugs = ["knee-pain", "shin-splints", "heel-pain", "plantar-fasciitis", "achilles", "hips"]
    articles = {slug: ArticleFactory(slug=slug) for slug in slugs}
    url_map = tmp_path / "map.csv"
    url_map.write_text("https://old.example/?p=41,achilles\n/index.php?p=42,hips\n")
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/knee-pain/index.html"),
        thread("2", "https://old.example/injuries/Shin-Splints.php"),
        thread("3", "http://old.example/heel-pain.htm"),
        thread("4", "https://old.example/Plantar%20Fasciitis.html"),
        thread("5", "https://old.example/?p=41&utm_source=feed"),
        thread("6", "https://old.example/?p=42"),
        *(post(str(n), str(n), name=f"Reader {n}") for n in range(1, 7)),
    )

    output = run("--url-map", str(url_map), export=export)

    assert "Threads with no matching article: 0" in output
    for number, slug in enumerate(slugs, start=1):
        assert list(articles[slug].comments.values_list("name", flat=True)) == [f"Reader {number}"]


def test_a_reply_dated_before_its_parent_or_in_the_same_second_after_it_keeps_its_parent(
    tmp_path, articles
):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        # Clocks of old servers drift: the reply is dated a minute before its parent.
        post("11", "1", name="Early reply", created="2017-01-01T09:59:00Z", parent="12"),
        post("12", "1", name="Parent", created="2017-01-01T10:00:00Z"),
        post("13", "1", name="Same second", created="2017-01-01T10:00:00Z", parent="14"),
        post("14", "1", name="Listed after", created="2017-01-01T10:00:00Z"),
    )

    output = run(export=export)

    by_name = {comment.name: comment for comment in Comment.objects.select_related("parent")}
    assert by_name["Early reply"].parent.name == "Parent"
    assert by_name["Same second"].parent.name == "Listed after"
    assert "Replies whose parent is missing (imported at the top level): 0" in output


def test_a_post_without_a_disqus_id_is_imported_once_however_often_the_import_runs(
    tmp_path, articles
):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        post(None, "1", name="No id", message="<p>Ice helped.</p>"),
        post(None, "1", name="No id either", email="other@example.com"),
    )

    run(export=export)
    output = run(export=export)

    assert sorted(Comment.objects.values_list("name", flat=True)) == ["No id", "No id either"]
    assert "Imported: 0" in output
    assert "Already imported before: 2" in output


def test_posts_of_a_deleted_thread_are_left_out_and_named(tmp_path, articles):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html", deleted=True),
        thread("2", "https://old.example/shin-splints.html"),
        post("21", "1", name="On a deleted thread"),
        post("22", "2", name="Kept"),
    )

    output = run(export=export)

    assert list(Comment.objects.values_list("name", flat=True)) == ["Kept"]
    assert "  post 21: its thread 1 was deleted" in output
    assert "Threads with no matching article: 0" in output


def test_one_bad_post_is_reported_and_skipped_or_repaired_and_the_rest_imported(tmp_path, articles):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        post("31", "1", name="Bad date", created="last Tuesday"),
        post("32", "1", name="No date", created=None),
        post("33", "1", name="Empty", message="<p> </p><br>"),
        post("34", "1", name="N" * 200),
        post("35", "1", name="Bad address", email="not an address@"),
        post("36", "1", name="Fine", email="fine@example.com"),
    )

    output = run(export=export)

    stored = dict(Comment.objects.values_list("name", "email"))
    assert stored == {"N" * 80: "runner@example.com", "Bad address": "", "Fine": "fine@example.com"}
    assert "Imported: 3" in output
    assert "  post 31: its date 'last Tuesday' is missing or not a date" in output
    assert "  post 32: its date '' is missing or not a date" in output
    assert "  post 33: its message is empty" in output
    assert "  post 34: name shortened to 80 characters" in output
    assert "  post 35: invalid e-mail 'not an address@' left out" in output


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old blog</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>
"""
ENTITIES = """<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<disqus xmlns="http://disqus.com"><category>&b;</category></disqus>
"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (WXR, "is not a Disqus export: its root element is <rss>"),
        (ENTITIES, "is refused: it declares entities"),
        ("", "is not well-formed XML: no element found"),
        ("this is not xml", "is not well-formed XML: syntax error"),
    ],
)
def test_a_file_that_is_not_a_disqus_export_is_refused_with_one_clear_line(
    tmp_path, content, message
):
    export = tmp_path / "export.xml"
    export.write_text(content)
    with pytest.raises(CommandError, match=message) as refused:
        run(export=export)
    assert "\n" not in str(refused.value)


def test_a_file_broken_after_its_first_posts_stores_nothing(tmp_path, articles):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        *(post(str(n), "1") for n in range(BATCH + 10)),
    )
    export.write_text(export.read_text()[:-40])  # cut off in the last post

    with pytest.raises(CommandError, match="is not well-formed XML"):
        run(export=export)
    assert not Comment.objects.exists()


def test_the_command_line_shows_a_refusal_as_one_line_and_exits_non_zero(tmp_path):
    export = tmp_path / "blog.xml"
    export.write_text(WXR)
    done = subprocess.run(
        [sys.executable, "manage.py", "import_disqus", str(export)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "CommandError: blog.xml is not a Disqus export: its root element is <rss>, "
        "not <disqus> in the http://disqus.com namespace."
    ]
    assert "Imported" not in done.stdout


def test_a_large_export_is_stored_in_batches_no_query_growing_with_the_export(tmp_path, articles):
    total = 3 * BATCH + 500
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        # Threads without posts are matched too, each by several candidate slugs.
        *(thread(f"t{n}", f"https://old.example/Page%20{n}.html") for n in range(2 * BATCH)),
        *(post(str(n), "1", parent=str(n - 1) if n % 2 else None) for n in range(total)),
    )
    largest = [0]

    def measure(execute, sql, params, many, context):
        largest[0] = max(largest[0], len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(measure):
        output = run(export=export)

    assert f"Imported: {total}" in output
    assert Comment.objects.filter(parent__isnull=False).count() == total // 2
    assert largest[0] <= 3 * BATCH


def test_progress_goes_to_stderr_only_when_asked_for(tmp_path, articles, capsys):
    run()
    assert capsys.readouterr().err == ""
    Comment.objects.all().delete()

    run("--progress")
    assert "posts [#########################] 100% (9/9)" in capsys.readouterr().err


def test_message_html_keeps_its_meaning_as_plain_text():
    message = (
        "<p>Try <a href='https://a.example/x'>this</a>, <a href=https://b.example/y>that</a>"
        ' and <a href="https://c.example/">https://c.example</a>.</p>'
        '<img src="https://img.example/knee.jpg" alt="my knee">'
        "<blockquote><p>Rest it.</p><p>Then <i>ice</i> it.</p></blockquote>"
        "<ul><li>Step-downs</li><li>Clamshells</li></ul>"
        "<script>alert('x')</script><style>p { color: red }</style>Fish &amp; chips"
    )
    assert text_from_html(message) == (
        "Try this (https://a.example/x), that (https://b.example/y) and https://c.example/.\n\n"
        "https://img.example/knee.jpg\n\n"
        "> Rest it.\n>\n> Then ice it.\n\n"
        "- Step-downs\n- Clamshells\n\n"
        "Fish & chips"
    )


def test_a_disqus_message_is_imported_with_its_links_images_quotes_and_lists(tmp_path, articles):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        post(
            "1",
            "1",
            message="<blockquote>Is it bad?</blockquote><p>See <a href=https://a.example>A</a>"
            "<img src='https://img.example/x.png'></p><ul><li>one</li><li>two</li></ul>"
            "<script>track()</script>",
        ),
    )
    run(export=export)
    assert Comment.objects.get().text == (
        "> Is it bad?\n\nSee A (https://a.example) https://img.example/x.png\n\n- one\n- two"
    )


def test_the_report_names_orphans_by_their_missing_parent_and_lists_busy_threads_first(
    tmp_path, articles
):
    export = write_export(
        tmp_path / "export.xml",
        thread("1", "https://old.example/runners-knee.html"),
        thread("2", "https://old.example/a-quiet-page.html"),
        thread("3", "https://old.example/a-busy-page.html"),
        thread("4", "https://old.example/b-busy-page.html"),
        thread("5", "https://old.example/no-comments.html"),
        post("41", "1", parent="999"),
        post("42", "1", parent="51"),
        post("51", "2", email="a@example.com"),
        *(post(f"6{n}", "3", email=f"{n}@example.com") for n in range(3)),
        *(post(f"7{n}", "4", email=f"{n}@example.com") for n in range(3)),
    )

    output = run(export=export)

    assert (
        "  post 41: parent 999 (not in the export)\n"
        "  post 42: parent 51 (its thread https://old.example/a-quiet-page.html matches no "
        "article)\n"
    ) in output
    assert (
        "Threads with no matching article: 4 (7 posts not imported)\n"
        "  https://old.example/a-busy-page.html (3 posts)\n"
        "  https://old.example/b-busy-page.html (3 posts)\n"
        "  https://old.example/a-quiet-page.html (1 post)\n"
        "  https://old.example/no-comments.html (0 posts)\n"
    ) in output


def test_a_post_already_imported_stays_the_parent_of_a_reply_added_later(tmp_path, articles):
    first = write_export(
        tmp_path / "first.xml",
        thread("1", "https://old.example/runners-knee.html"),
        post("81", "1", name="Question"),
    )
    run(export=first)
    later = write_export(
        tmp_path / "later.xml",
        thread("1", "https://old.example/runners-knee.html"),
        post("81", "1", name="Question"),
        post("82", "1", name="Answer", parent="81"),
    )

    output = run(export=later)

    assert Comment.objects.get(name="Answer").parent == Comment.objects.get(name="Question")
    assert "Imported: 1" in output
    assert "Already imported before: 1" in output
