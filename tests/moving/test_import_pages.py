"""manage.py import_pages on a made-up old site (tests/moving/oldsite.py): what
each old page becomes, and what readers then see."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.urls import reverse

from affiliates.models import AffiliateLink, ArticleAffiliateLink
from articles.models import Article, Category, Rendition
from moving.models import ImportedPage
from tests.moving.oldsite import FILE_LATER, RECENT_LATER, write_mirror

pytestmark = pytest.mark.django_db

# 14 articles: enough that some are in neither the feed nor Recent Articles.
ARTICLES = 14


def run(source, *args, report=None):
    out = StringIO()
    extra = ["--report", str(report)] if report else []
    call_command("import_pages", str(source), *args, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def site(tmp_path):
    return write_mirror(tmp_path / "mirror", articles=ARTICLES)


@pytest.fixture
def imported(site, tmp_path):
    site.output = run(site.folder, report=tmp_path / "report.txt")
    return site


def counts(output):
    """{report line: number} of a printed report."""
    found = {}
    for line in output.splitlines()[2:]:
        if not line.strip():
            break
        name, _, number = line.rpartition(":")
        found[name] = int(number)
    return found


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_hubs_become_categories_and_articles_are_filed_under_their_return_to_hub(imported):
    knee = Category.objects.get(slug="knee-trouble")
    assert knee.title == "Knee Trouble Explained"
    assert knee.meta_description == "All about knee trouble explained."
    assert Article.objects.get(slug="stride-tip-0").category == knee
    assert Article.objects.get(slug="stride-tip-3").category == knee
    assert Article.objects.get(slug="stride-tip-1").category.slug == "foot-and-ankle"
    assert "/stride-tip-0/" in knee.intro


def test_a_nav_header_group_without_a_hub_page_becomes_a_category(imported):
    training = Category.objects.get(slug="training-plans")
    assert training.title == "Training Plans"
    assert list(training.articles.values_list("slug", flat=True)) == ["stride-tip-8"]


def test_the_article_keeps_its_title_description_excerpt_and_the_content_alone(imported):
    article = Article.objects.get(slug="stride-tip-4")
    assert article.title == "Stride Tip 4: Easy Care"
    assert article.meta_description == "Description of stride tip 4."
    assert article.excerpt.startswith("Feed summary of tip 4:")
    body = article.body
    for kept in [
        "uniquephrase4 marker",
        '<p class="note"><strong>NOTE:</strong>',
        '<h2 id="what-is-going-on">What is going on?',
        "<figcaption>Caption 4: a steady stride</figcaption>",
        "<li>Roller gait",
        "Left column 4:",
        "Right column 4:",
    ]:
        assert kept in body
    for dropped in [
        "Back to top",
        "Return to",
        "FTC Disclosure",
        "adsbygoogle",
        "ezoic",
        "<script",
        "style=",
        "<span",
        "<table",
        "Shop the running outlet",
        "Recent Articles",
        "<form",
        "track(",
        "<br",
        "Stride Clinic header",
    ]:
        assert dropped not in body


def test_a_data_table_is_kept_and_a_layout_table_gives_up_its_cells(imported):
    body = Article.objects.get(slug="stride-tip-0").body
    assert "<tbody><tr><th>Week</th><th>Distance</th></tr>" in body.replace("\n", "")
    assert body.count("<table") == 1
    assert '<img src="/media/imported/images/shared-stretch.png" alt="A calf stretch' in body


def test_images_are_copied_once_from_their_original_with_renditions(imported):
    files = media_files()
    assert files.count("imported/images/shared-stretch.png") == 1
    # data-pin-media's original, the page-speed copy when only it was saved,
    # and data-src's address of a lazily loaded image.
    assert "imported/images/exercise-0.jpg" in files
    assert "imported/images/xexercise-2.jpg.pagespeed.ic.Zz92.jpg" in files
    assert "imported/images/exercise-4.jpg" in files
    assert Rendition.objects.filter(source="imported/images/shared-stretch.png").exists()
    page = Article.objects.get(slug="stride-tip-0").body_html
    assert "srcset=" in page
    assert 'alt="Runner doing exercise 0 on a track"' in page


def test_missing_images_and_alt_texts_to_write_are_listed_for_the_editor(imported):
    report = imported.output
    assert "/stride-tip-6.html: https://www.stride-clinic.example/images/exercise-6.jpg" in report
    # A file name as alt text (tip 1), no alt text at all (tip 4).
    assert "/stride-tip-1.html: /media/imported/images/exercise-1.jpg" in report
    assert "/stride-tip-4.html: /media/imported/images/exercise-4.jpg" in report
    assert 'alt="exercise-1.jpg"' not in Article.objects.get(slug="stride-tip-1").body


def test_links_in_every_old_form_point_at_the_new_addresses(imported):
    body = Article.objects.get(slug="stride-tip-4").body
    assert body.count('href="/stride-tip-5/"') == 2  # absolute with the old host; the call-out
    assert 'href="/stride-tip-3/">the tip before' in body  # capitalised, relative
    assert 'href="/stride-tip-3/">the same tip again' in body  # ./name.htm
    assert 'href="/stride-tip-5/#part">part two' in body  # other host form, /index.html
    assert "/stride-tip-4.html: /no-such-page.html" in imported.output


def test_amazon_links_and_banners_are_registered_once_and_pages_disclose_them(imported, client):
    sleeve = AffiliateLink.objects.get(destination_url__contains="B0TEST0004")
    assert sleeve.tracking_tag == "stride-20"
    assert AffiliateLink.objects.filter(destination_url="https://amzn.to/tip1").count() == 1
    banners = AffiliateLink.objects.filter(kind=AffiliateLink.Kind.BANNER)
    # Two banner pictures shared by five articles; the site-wide one below the h1 is furniture.
    assert banners.count() == 2
    assert not AffiliateLink.objects.filter(destination_url__contains="/outlet").exists()
    article = Article.objects.get(slug="stride-tip-4")
    assert article.banner_after_intro.banner_alt == "Running gear deals 0"
    assert ArticleAffiliateLink.objects.filter(article=article).count() == 2

    page = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="sponsored nofollow noopener"' in page
    assert f'href="/go/{sleeve.slug}/?from=stride-tip-4"' in page
    assert settings.AFFILIATE_DISCLOSURE_TEXT in page
    plain = client.get(reverse("articles:page", kwargs={"slug": "stride-tip-3"}))
    assert settings.AFFILIATE_DISCLOSURE_TEXT not in plain.content.decode()


def test_publication_times_come_from_the_feed_then_recent_articles_then_the_file(imported):
    spec = {a.number: a for a in imported.articles}
    assert Article.objects.get(slug="stride-tip-0").published_at == spec[0].published
    # Not in the feed, but in the Recent Articles widget (one of the ten newest).
    assert spec[5].in_recent
    assert not spec[5].in_feed
    assert Article.objects.get(slug="stride-tip-5").published_at == spec[5].published + RECENT_LATER
    # In neither: the file's time, reported as a guess.
    assert not spec[2].in_recent
    assert not spec[2].in_feed
    assert Article.objects.get(slug="stride-tip-2").published_at == spec[2].published + FILE_LATER
    assert "Dates guessed:" in imported.output
    guessed = spec[2].published + FILE_LATER
    assert f"/stride-tip-2.html: {guessed:%Y-%m-%d %H:%M} UTC (the file's time)" in imported.output


def test_every_old_address_form_answers_one_301_to_the_new_page(imported, client):
    for old in [
        "/Stride-Tip-3.html",
        "/stride-tip-3.html",
        "/stride-tip-3.htm",
        "/Stride-Tip-3.HTM",
        "/stride-tip-3/index.html",
        "/STRIDE-TIP-3/",
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/stride-tip-3/"), old
        assert client.get(response["Location"]).status_code == 200
    assert client.get("/Knee-Trouble.html")["Location"] == "/knee-trouble/"
    assert client.get("/index.html")["Location"] == "/"
    assert client.get("/INDEX.HTM")["Location"] == "/"
    # An old form of a page that never was here stays a 404.
    assert client.get("/no-such-page.htm").status_code == 404
    assert client.get("/no-such-page/index.html").status_code == 404
    assert client.get("/stride.xml")["Location"] == reverse("articles:feed")
    image = client.get("/images/shared-stretch.png")
    assert image["Location"] == "/media/imported/images/shared-stretch.png"


def test_the_home_page_shows_the_old_sites_introduction(imported, client):
    flat = FlatPage.objects.get(url="/")
    assert flat.title == "Welcome to the Stride Clinic"
    page = client.get(reverse("articles:home")).content.decode()
    assert "<h1>Welcome to the Stride Clinic</h1>" in page
    assert "We help runners get back on the road." in page
    assert 'href="/knee-trouble/"' in page
    assert "Share" not in flat.content


def test_the_report_counts_what_was_done_and_is_kept_in_a_file(imported, tmp_path):
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert report in imported.output
    found = counts(report)
    assert found["Pages found"] == ARTICLES + 4
    assert found["Categories created"] == 4
    assert found["Articles created"] == ARTICLES
    assert found["Home page introduction"] == 1
    assert found["Links broken"] == ARTICLES
    assert found["Affiliate links registered"] == AffiliateLink.objects.count()
    assert found["Images copied"] == len([f for f in media_files() if f.startswith("imported/")])
    assert ImportedPage.objects.count() == ARTICLES + 4 + 1


def test_a_second_run_changes_nothing(imported, tmp_path):
    before = {
        "articles": list(Article.objects.values_list("slug", "updated_at", "body")),
        "categories": list(Category.objects.values_list("slug", "intro")),
        "links": AffiliateLink.objects.count(),
        "media": media_files(),
        "history": Article.history.count(),
    }
    again = run(imported.folder, report=tmp_path / "again.txt")
    after = {
        "articles": list(Article.objects.values_list("slug", "updated_at", "body")),
        "categories": list(Category.objects.values_list("slug", "intro")),
        "links": AffiliateLink.objects.count(),
        "media": media_files(),
        "history": Article.history.count(),
    }
    assert after == before
    done = counts(again)
    assert done["Articles unchanged"] == ARTICLES
    assert done["Categories unchanged"] == 4
    assert done["Articles created"] == done["Articles updated"] == 0
    assert done["Redirects created"] == done["Redirects updated"] == 0
    assert done["Images copied"] == done["Affiliate links registered"] == 0


def test_an_article_edited_in_the_admin_is_kept_unless_overwrite_is_given(imported, tmp_path):
    article = Article.objects.get(slug="stride-tip-4")
    article.body = "<p>The editor rewrote this.</p>"
    article.save()

    kept = run(imported.folder, report=tmp_path / "kept.txt")
    assert "/stride-tip-4.html: article “Stride Tip 4: Easy Care”" in kept
    assert Article.objects.get(slug="stride-tip-4").body == "<p>The editor rewrote this.</p>"

    replaced = run(imported.folder, "--overwrite", report=tmp_path / "replaced.txt")
    assert counts(replaced)["Articles updated"] == 1
    replaced_article = Article.objects.get(slug="stride-tip-4")
    assert "uniquephrase4" in replaced_article.body
    assert "uniquephrase4" in replaced_article.body_html
    assert "uniquephrase4" in replaced_article.body_text


def test_as_drafts_imports_articles_unpublished(site, tmp_path, client):
    run(site.folder, "--as-drafts", report=tmp_path / "r.txt")
    assert not Article.objects.published().exists()
    assert client.get("/stride-tip-0/").status_code == 404


def test_a_dry_run_prints_the_same_report_and_writes_nothing(site, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dry = run(site.folder, "--dry-run")
    assert dry.splitlines()[1] == "Dry run: nothing was written. This is what the import will do."
    assert not Article.objects.exists()
    assert not Category.objects.exists()
    assert not AffiliateLink.objects.exists()
    assert not FlatPage.objects.filter(url="/").exists()
    assert not ImportedPage.objects.exists()
    assert media_files() == []
    assert not (tmp_path / "import-pages-report.txt").exists()

    real = run(site.folder)
    assert dry.splitlines()[2:] == real.splitlines()[2:-1]
    assert (tmp_path / "import-pages-report.txt").exists()
