"""import_pages on pages with the rarer features of the old site: shared
blocks of one page only, videos, odd file names, pages that are no articles,
and addresses already taken here."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.moving.oldsite import SITE, write_mirror

pytestmark = pytest.mark.django_db


def page(title, body, *, hub="Knee-Trouble.html"):
    return f"""<!DOCTYPE html><html><head><title>{title}</title>
<link rel="canonical" href="{SITE}/x.html"></head><body>
<div id="ContentColumn"><div class="Liner">
<h1>{title}</h1>
{body}
<p><a href="#top">Back to top of {title}</a></p>
<p><a href="/{hub}">Return to the hub</a></p>
</div><!-- end Liner --></div><!-- end ContentColumn --></body></html>"""


@pytest.fixture
def site(tmp_path):
    return write_mirror(tmp_path / "mirror", articles=4)


def run(site, tmp_path):
    out = StringIO()
    call_command("import_pages", str(site.folder), "--report", str(tmp_path / "r.txt"), stdout=out)
    return out.getvalue()


def test_a_shared_block_of_one_page_is_content_and_one_on_several_pages_is_furniture(
    site, tmp_path
):
    own = "<!-- start: shared_blocks.900#inline-1 --><p>Only here: a warm-up list.</p><!-- end: shared_blocks.900#inline-1 -->"
    repeated = "<!-- start: shared_blocks.901#inline-2 --><p>Subscribe to our letter.</p><!-- end: shared_blocks.901#inline-2 -->"
    (site.folder / "warm-up.html").write_text(page("Warm Up", f"<p>Intro.</p>{own}{repeated}"))
    (site.folder / "cool-down.html").write_text(page("Cool Down", f"<p>Intro.</p>{repeated}"))
    run(site, tmp_path)
    assert "Only here: a warm-up list." in Article.objects.get(slug="warm-up").body
    assert "Subscribe" not in Article.objects.get(slug="warm-up").body
    assert "Subscribe" not in Article.objects.get(slug="cool-down").body


def test_a_youtube_video_is_kept_through_the_privacy_enhanced_player(site, tmp_path):
    video = '<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315"></iframe>'
    other = '<iframe src="https://ads.example/frame"></iframe>'
    (site.folder / "video.html").write_text(page("Video", f"<p>Watch.</p>{video}{other}"))
    run(site, tmp_path)
    body = Article.objects.get(slug="video").body
    assert 'src="https://www.youtube-nocookie.com/embed/abc123"' in body
    assert "ads.example" not in body


def test_a_file_name_with_spaces_and_a_reserved_name_get_addresses_that_work(
    site, tmp_path, client
):
    (site.folder / "Long Run Tips.html").write_text(page("Long Run Tips", "<p>Go slow.</p>"))
    (site.folder / "search.html").write_text(page("Search Tips", "<p>Look.</p>"))
    (site.folder / "links.html").write_text(
        page("Links", '<p><a href="Long%20Run%20Tips.html">long runs</a></p>')
    )
    output = run(site, tmp_path)
    assert Article.objects.filter(slug="long-run-tips").exists()
    assert 'href="/long-run-tips/"' in Article.objects.get(slug="links").body
    assert Article.objects.filter(slug="search-page").exists()
    assert "/search.html: the address /search/ is taken; it moves to /search-page/" in output
    assert client.get("/search.html")["Location"] == "/search-page/"
    assert client.get("/Long%20Run%20Tips.html")["Location"] == "/long-run-tips/"


def test_pages_that_are_not_articles_are_skipped_with_the_reason(site, tmp_path):
    (site.folder / "thanks.html").write_text("<html><body><p>Thank you!</p></body></html>")
    (site.folder / "sd" / "support-files" / "popup.html").write_text(page("Popup", "<p>x</p>"))
    output = run(site, tmp_path)
    assert "/thanks.html: no h1 heading, so not an article or hub page" in output
    assert not Article.objects.filter(slug="popup").exists()


def test_an_address_already_used_here_is_not_taken_over(site, tmp_path):
    mine = ArticleFactory(slug="stride-tip-1", title="The owner's own page")
    CategoryFactory(slug="hip-pain", title="Hips, written here")
    output = run(site, tmp_path)
    assert Article.objects.get(slug="stride-tip-1").pk == mine.pk
    assert (
        "/stride-tip-1.html: /stride-tip-1/ is already “The owner's own page” on this site"
        in output
    )
    assert "/hip-pain.html: the category /hip-pain/ was already on the site" in output
    assert Article.objects.get(slug="stride-tip-2").category.title == "Hips, written here"
