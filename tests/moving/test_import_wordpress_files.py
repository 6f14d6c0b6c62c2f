"""import_wordpress given files that are not exports, and a copy of
wp-content/uploads: one clear line for a bad file with nothing written, and
images copied into MEDIA_ROOT only once the import has committed."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article, Category
from comments.models import Comment
from moving.models import ImportedPage
from tests.moving.test_import_wordpress import count_line

DATA = Path(__file__).parent / "data" / "wordpress"
SITE = DATA / "site.xml"
REPO = Path(__file__).resolve().parents[2]


def nothing_written():
    return not (
        Article.objects.exists()
        or Category.objects.exists()
        or Comment.objects.exists()
        or ImportedPage.objects.exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "disqus.xml",
            "disqus.xml is a Disqus export, not a WordPress export: import it with import_disqus.",
        ),
        (
            "feed.xml",
            "feed.xml is an RSS feed, not a WordPress export: it has no "
            "<wp:wxr_version> (export the site from WordPress's Tools → Export).",
        ),
        ("entities.xml", "entities.xml is refused: it declares entities or external references"),
        ("truncated.xml", "truncated.xml is not well-formed XML: no element found: line"),
        (
            "version-9.xml",
            "version-9.xml is a WordPress export of WXR version '9.0', which this "
            "import does not know (it reads 1.0, 1.1, 1.2).",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_in_one_line_and_nothing_is_written(name, message):
    with pytest.raises(CommandError) as refused:
        call_command("import_wordpress", str(DATA / name), stdout=StringIO())
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert nothing_written()


@pytest.mark.django_db
def test_a_missing_file_folder_or_existing_report_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No export file at"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"))
    with pytest.raises(CommandError, match="No folder at"):
        call_command("import_wordpress", str(SITE), "--media", str(tmp_path / "uploads"))
    (tmp_path / "report.txt").write_text("kept")
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_wordpress", str(SITE), "--report", str(tmp_path / "report.txt"))
    assert (tmp_path / "report.txt").read_text() == "kept"
    assert nothing_written()


def test_the_command_exits_with_status_1_and_one_line_on_stderr(tmp_path):
    not_xml = tmp_path / "export.xml"
    not_xml.write_bytes(b"\x89PNG\r\n\x1a\n not xml at all")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(not_xml)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3")},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "CommandError: export.xml is not well-formed XML: not well-formed (invalid token): "
        "line 1, column 0."
    ]


def picture(path, size=(640, 400), color=(200, 80, 60), fmt=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, fmt)


@pytest.fixture
def uploads(tmp_path):
    """A copy of the old site's wp-content/uploads."""
    folder = tmp_path / "uploads"
    picture(folder / "2019/05/knee.jpg", size=(1200, 800))
    picture(folder / "2019/05/knee-300x200.jpg", size=(300, 200))
    picture(folder / "2019/06/stretch.png", color=(20, 120, 60))
    (folder / "2019/09").mkdir(parents=True)
    (folder / "2019/09/fake.jpg").write_text("<html><script>alert(1)</script></html>")
    picture(tmp_path / "secrets.png")  # outside the folder: must never be copied
    return folder


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return (
        sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
        if root.exists()
        else []
    )


@pytest.mark.django_db(transaction=True)
def test_images_are_copied_into_media_root_and_their_addresses_rewritten(uploads):
    out = StringIO()
    call_command("import_wordpress", str(SITE), "--media", str(uploads), stdout=out)
    report = out.getvalue()

    copied = [name for name in media_files() if name.startswith("wordpress/")]
    assert copied == ["wordpress/2019/05/knee.jpg", "wordpress/2019/06/stretch.png"]
    knee = Article.objects.get(slug="runners-knee")
    # The original, not WordPress's 300 px copy; pages get our own renditions.
    assert '<img src="/media/wordpress/2019/05/knee.jpg"' in knee.body
    assert "srcset=" in knee.body_html
    band = Article.objects.get(slug="it-band-syndrome")
    assert 'src="/media/wordpress/2019/06/stretch.png"' in band.body
    assert knee.image.name.startswith("wordpress/2019/05/knee")
    assert knee.image_alt == "A runner holding her knee"
    assert knee.thumbnail
    assert count_line(report, "Images copied") == 2
    assert count_line(report, "Featured images set") == 1
    assert "2020/01/missing.png" in report.split("Images missing from the --media folder:\n")[1]
    refused = report.split("Images refused:\n")[1]
    assert "secrets.png: outside the --media folder" in refused
    assert "fake.jpg: This file is not an image the site can use." in refused
    assert not any("secrets" in name for name in media_files())

    again = StringIO()
    call_command("import_wordpress", str(SITE), "--media", str(uploads), stdout=again)
    assert count_line(again.getvalue(), "Articles unchanged") == 8
    assert "Images already in MEDIA_ROOT:" in again.getvalue()
    assert "Images copied" not in again.getvalue()
    assert [name for name in media_files() if name.startswith("wordpress/")] == copied


@pytest.mark.django_db(transaction=True)
def test_the_wp_content_folder_itself_will_do_for_media(tmp_path):
    picture(tmp_path / "wp-content/uploads/2019/06/stretch.png")
    call_command(
        "import_wordpress", str(SITE), "--media", str(tmp_path / "wp-content"), stdout=StringIO()
    )
    assert "wordpress/2019/06/stretch.png" in media_files()


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_with_media_copies_no_file(uploads):
    out = StringIO()
    call_command("import_wordpress", str(SITE), "--media", str(uploads), "--dry-run", stdout=out)
    assert media_files() == []
    assert nothing_written()
    assert "Images copied" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_refused_file_leaves_no_image_behind(uploads):
    with pytest.raises(CommandError):
        call_command("import_wordpress", str(DATA / "truncated.xml"), "--media", str(uploads))
    assert media_files() == []
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_an_image_that_cannot_be_written_is_reported_and_copied_by_the_next_run(uploads):
    blocker = Path(settings.MEDIA_ROOT) / "wordpress" / "2019"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the folder should be")
    out = StringIO()

    call_command("import_wordpress", str(SITE), "--media", str(uploads), stdout=out)

    assert Article.objects.filter(slug="runners-knee").exists()  # the database committed
    cannot = out.getvalue().split("Images that could not be copied:\n")[1]
    assert "wordpress/2019/05/knee.jpg" in cannot
    blocker.unlink()
    again = StringIO()
    call_command("import_wordpress", str(SITE), "--media", str(uploads), stdout=again)
    assert count_line(again.getvalue(), "Images copied") == 2
    assert "wordpress/2019/05/knee.jpg" in media_files()
