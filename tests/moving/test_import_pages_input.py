"""import_pages given something it must refuse: one line, a non-zero exit,
nothing written (no rows, no media files)."""

import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from affiliates.models import AffiliateLink
from articles.models import Article, Category
from tests.moving.oldsite import write_mirror

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def refused(source, *args):
    with pytest.raises(CommandError) as error:
        call_command("import_pages", str(source), *args, stdout=io.StringIO())
    message = str(error.value)
    assert "\n" not in message
    assert not Article.objects.exists()
    assert not Category.objects.exists()
    assert not AffiliateLink.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    return message


@pytest.fixture
def site(tmp_path):
    return write_mirror(tmp_path / "mirror", articles=4)


def zip_of(folder, target, extra=()):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, data in extra:
            archive.writestr(name, data)
    return target


def test_a_zip_and_a_tar_gz_of_the_mirror_import_like_the_folder(site, tmp_path):
    report = ["--report", str(tmp_path / "report.txt")]
    call_command(
        "import_pages", str(zip_of(site.folder, tmp_path / "site.zip")), stdout=io.StringIO()
    )
    assert Article.objects.count() == 4
    Article.objects.all().delete()
    Category.objects.all().delete()
    with tarfile.open(tmp_path / "site.tar.gz", "w:gz") as archive:
        # Inside a folder named after the host, as wget saves a site.
        archive.add(site.folder, arcname="www.stride-clinic.example")
    call_command("import_pages", str(tmp_path / "site.tar.gz"), *report, stdout=io.StringIO())
    assert Article.objects.count() == 4
    # The file times inside the archive date the pages found in neither feed nor widget.
    assert Article.objects.filter(slug="stride-tip-2").exists()


def test_a_folder_without_pages_is_not_a_mirror(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("nothing here")
    assert "not a saved copy (mirror) of a site" in refused(tmp_path / "notes")


def test_a_missing_source_is_named(tmp_path):
    assert "no such file or folder" in refused(tmp_path / "nowhere.zip")


def test_a_page_that_is_not_html_is_refused(site):
    (site.folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    assert "broken.html is not an HTML page" in refused(site.folder)


def test_an_unreadable_archive_is_refused(tmp_path):
    bad = tmp_path / "site.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip file at all")
    assert "is not a folder, a .zip or a .tar.gz" in refused(bad)


def test_a_truncated_tar_gz_is_refused(site, tmp_path):
    with tarfile.open(tmp_path / "site.tar.gz", "w:gz") as archive:
        archive.add(site.folder, arcname=".")
    data = (tmp_path / "site.tar.gz").read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(data[: len(data) // 2])
    message = refused(tmp_path / "cut.tar.gz")
    assert "cannot be read as a .tar.gz" in message or "is not a folder" in message


def test_a_zip_member_leading_out_of_the_archive_is_refused(site, tmp_path):
    archive = zip_of(site.folder, tmp_path / "site.zip", extra=[("../../evil.html", "<h1>x</h1>")])
    assert "points outside the archive" in refused(archive)
    assert not (tmp_path.parent / "evil.html").exists()


def test_a_tar_member_with_an_absolute_path_is_refused(site, tmp_path):
    target = tmp_path / "site.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(site.folder, arcname=".")
        info = tarfile.TarInfo("/etc/evil.html")
        info.size = 3
        archive.addfile(info, io.BytesIO(b"<p>"))
    assert "has an absolute path" in refused(target)


def test_a_link_in_a_tar_or_a_folder_is_refused(site, tmp_path):
    target = tmp_path / "site.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(site.folder, arcname=".")
        info = tarfile.TarInfo("images/passwd.jpg")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        archive.addfile(info)
    assert "is a link" in refused(target)
    os.symlink("/etc/passwd", site.folder / "images" / "passwd.jpg")
    assert "is a symbolic link" in refused(site.folder)


def test_an_archive_bomb_is_refused_before_it_fills_the_disk(site, tmp_path):
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", "<h1>Home</h1>")
        archive.writestr("images/zeros.jpg", b"\x00" * (3 * 1024 * 1024))
    assert target.stat().st_size < 100_000
    assert "unpacks to more than 1 MB" in refused(target, "--max-size", "1")


def test_a_bad_site_url_is_refused(site):
    assert "is not an address like" in refused(site.folder, "--site-url", "old-site")


def test_a_failure_half_way_leaves_no_row_and_no_file(site, settings, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    # Renditions of width 0 cannot be made: the first article's save fails
    # after its images were copied.
    settings.IMAGE_RENDITION_WIDTHS = (0,)
    with pytest.raises(ValueError, match="height and width"):
        call_command("import_pages", str(site.folder), stdout=io.StringIO())
    assert not Article.objects.exists()
    assert not Category.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_the_command_exits_non_zero_with_one_line(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_pages", str(tmp_path / "missing")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {tmp_path / 'missing'}: no such file or folder. Nothing was imported."
    ]
