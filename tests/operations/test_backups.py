"""`manage.py backup` and `manage.py restore`, on this run's kind of database."""

import io
import json
import re
import secrets
import stat
import tarfile
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from articles.models import Article, Category
from tests.servers import fetch, run_manage, running_site, site_env

LOCAL = {"Host": "localhost"}


@contextmanager
def fresh_database(folder):
    """The URL of a new, empty database of the kind this test run uses."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or "5432"
    user, password = params["USER"] or "postgres", params["PASSWORD"] or ""
    name = f"injurysite_restore_{secrets.token_hex(4)}"
    with psycopg.connect(
        host=host, port=port, user=user, password=password, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            credentials = f"{user}:{password}@" if password else f"{user}@"
            yield f"postgres://{credentials}{host}:{port}/{name}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def public_paths():
    return [
        reverse("articles:home"),
        reverse("robots_txt"),
        *[category.get_absolute_url() for category in Category.objects.all()],
        *[article.get_absolute_url() for article in Article.objects.published()],
    ]


def files_under(folder):
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), int(path.stat().st_mtime))
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


FORM_TOKEN = re.compile(rb'name="token" value="[^"]*"')


def comparable(body):
    """The page with the comment form's token blanked: it signs the moment the
    page was rendered, so it differs between any two renders of one site."""
    return FORM_TOKEN.sub(b'name="token" value=""', body)


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_serves_every_public_page_byte_for_byte(live_server, settings, tmp_path):
    call_command("load_demo")
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive))
    paths = public_paths()
    assert len(paths) > 10

    with fresh_database(tmp_path) as database_url:
        restored_media = tmp_path / "restored-media"
        env = site_env(DATABASE_URL=database_url, MEDIA_ROOT=restored_media)
        result = run_manage("restore", str(archive), env=env)
        assert "Restored the database and" in result.stdout

        with running_site(env) as restored:
            for path in paths:
                original = fetch(live_server.url + path, headers=LOCAL)
                copy = fetch(restored + path, headers=LOCAL)
                assert original.status == 200, path
                assert (copy.status, comparable(copy.body)) == (200, comparable(original.body)), (
                    path
                )
            # Pictures the pages show are served from the restored media folder too.
            thumbnail = Article.objects.exclude(thumbnail="").first().thumbnail
            assert fetch(restored + thumbnail.url, headers=LOCAL).body == thumbnail.read()

        assert files_under(restored_media) == files_under(settings.MEDIA_ROOT)

        # A second restore over the restored site is refused, and allowed with --force.
        refused = run_manage("restore", str(archive), env=env, check=False)
        assert refused.returncode == 1
        assert "The database already holds" in refused.stderr
        assert "add --force to replace its contents" in refused.stderr
        (restored_media / "left-over.txt").write_text("from before")
        run_manage("restore", "--force", str(archive), env=env)
        assert files_under(restored_media) == files_under(settings.MEDIA_ROOT)
        with running_site(env) as restored:
            home = reverse("articles:home")
            assert comparable(fetch(restored + home, headers=LOCAL).body) == comparable(
                fetch(live_server.url + home, headers=LOCAL).body
            )


@pytest.mark.django_db(transaction=True)
def test_the_archive_holds_the_database_and_media_and_only_its_owner_may_read_it(tmp_path):
    call_command("load_demo")
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"] == connection.vendor
    assert manifest["format"] == 1
    dump = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert dump in names
    article = Article.objects.exclude(image="").first()
    assert f"media/{article.image.name}" in names
    assert f"media/{article.thumbnail.name}" in names


@pytest.mark.django_db
def test_a_backup_never_overwrites_an_existing_file(tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="already exists: choose a new file name"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"an older backup"


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused_rather_than_missing_its_changes(tmp_path):
    archive = tmp_path / "site.tar.gz"
    with pytest.raises(CommandError, match="cannot be taken inside a database transaction"):
        call_command("backup", str(archive))
    assert not archive.exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(tmp_path, settings):
    call_command("load_demo")
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive))
    Article.objects.filter(slug="runners-knee").update(title="Edited after the backup")
    media_before = files_under(settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match="The database already holds"):
        call_command("restore", str(archive))
    assert Article.objects.get(slug="runners-knee").title == "Edited after the backup"
    assert files_under(settings.MEDIA_ROOT) == media_before


def test_restore_refuses_a_media_folder_that_is_not_empty_before_touching_the_database(tmp_path):
    # The archive comes from a database of the same kind, made in a process of its own.
    with fresh_database(tmp_path) as database_url:
        env = site_env(DATABASE_URL=database_url, MEDIA_ROOT=tmp_path / "media")
        run_manage("migrate", "--noinput", env=env)
        run_manage("backup", str(tmp_path / "site.tar.gz"), env=env)
    second = tmp_path / "second"
    second.mkdir()
    with fresh_database(second) as database_url:
        media = tmp_path / "busy-media"
        media.mkdir()
        (media / "keep.txt").write_text("someone's file")
        env = site_env(DATABASE_URL=database_url, MEDIA_ROOT=media)
        refused = run_manage("restore", str(tmp_path / "site.tar.gz"), env=env, check=False)
        assert refused.returncode == 1
        assert f"The media folder {media} is not empty" in refused.stderr
        tables = run_manage("inspectdb", env=env).stdout
        assert "class " not in tables
    assert (media / "keep.txt").read_text() == "someone's file"


def hostile_archive(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../outside.txt", "unsafe path"),
        ("media/../../outside.txt", "unsafe path"),
        ("/etc/outside.txt", "unsafe path"),
        ("settings.py", "unexpected entry"),
    ],
)
def test_restore_refuses_an_archive_that_would_write_outside_its_folders(
    tmp_path, settings, member, message
):
    manifest = json.dumps({"format": 1, "database": connection.vendor}).encode()
    dump = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    archive = hostile_archive(
        tmp_path / "hostile.tar.gz", {"manifest.json": manifest, dump: b"", member: b"boo"}
    )
    with pytest.raises(CommandError, match=message):
        call_command("restore", "--force", str(archive))
    assert not (tmp_path / "outside.txt").exists()
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db
def test_restore_refuses_an_archive_from_the_other_kind_of_database(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = json.dumps({"format": 1, "database": other}).encode()
    archive = hostile_archive(tmp_path / "other.tar.gz", {"manifest.json": manifest})
    with pytest.raises(CommandError, match=f"holds a {other} database and this site uses"):
        call_command("restore", "--force", str(archive))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    archive = hostile_archive(tmp_path / "photos.tar.gz", {"photo.jpg": b"\xff\xd8"})
    with pytest.raises(CommandError, match="not an injurysite backup"):
        call_command("restore", str(archive))
