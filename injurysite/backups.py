"""Backups: the database and the media folder in one .tar.gz, and back again.

An archive holds:
    manifest.json       format version, database kind, time of the backup
    database.sqlite3    SQLite: a consistent copy made with SQLite's own backup API
    database.pgdump     PostgreSQL: pg_dump's custom format (restored with pg_restore)
    media/...           every file under MEDIA_ROOT

Both copies of the database are exact: every table, every timestamp, every
file field, the migration history and the sequences, so a restored site is
the same site. The database is copied before the media, so every file the
copied database refers to is in the archive. An archive restores only into
the same kind of database it came from; to move from SQLite to PostgreSQL
use dumpdata and loaddata.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections

FORMAT = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    """Something the person running the backup or restore must fix; the message says what."""


def create_backup(*, archive, using="default"):
    """Write the database `using` and MEDIA_ROOT to the new file `archive`.

    The archive is readable by its owner only (it holds password hashes) and
    appears only once complete. Returns the number of media files written.
    """
    archive = Path(archive)
    if archive.exists():
        raise BackupError(f"{archive} already exists: choose a new file name.")
    connection = connections[using]
    vendor = _supported_vendor(connection)
    if connection.in_atomic_block:
        # The copy is made outside this transaction and would miss its changes
        # (SQLite's backup would even wait for it forever).
        raise BackupError("A backup cannot be taken inside a database transaction.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        if vendor == "sqlite":
            _dump_sqlite(connection, dump)
        else:
            _dump_postgresql(connection, dump)
        manifest = {
            "format": FORMAT,
            "database": vendor,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "django": django.get_version(),
        }
        partial = archive.with_name(archive.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                tar.add(dump, arcname=dump.name)
                media_files = _add_media(tar, media_root)
            partial.replace(archive)
        finally:
            partial.unlink(missing_ok=True)
    return media_files


def restore_backup(*, archive, force=False, using="default"):
    """Restore `archive` into the database `using` and MEDIA_ROOT.

    Both must be empty, unless `force` is set: then the database objects in
    the archive replace their namesakes and the media folder's contents are
    replaced. Everything is checked before anything is changed. Returns the
    number of media files restored.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    connection = connections[using]
    vendor = _supported_vendor(connection)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(archive, mode="r:gz") as tar:
        manifest = _read_manifest(tar)
        if manifest["database"] != vendor:
            raise BackupError(
                f"{archive} holds a {manifest['database']} database and this site uses {vendor}: "
                "an archive restores only into the kind of database it came from."
            )
        members = _checked_members(tar, DUMP_NAMES[vendor])
        if not force:
            _require_empty(connection, media_root)
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            tar.extractall(work, members=members, filter="data")
            dump = work / DUMP_NAMES[vendor]
            if vendor == "sqlite":
                _restore_sqlite(connection, dump)
            else:
                _restore_postgresql(connection, dump, clean=force)
            if force and media_root.exists():
                _empty_folder(media_root)
            media_root.mkdir(parents=True, exist_ok=True)
            if (work / MEDIA).is_dir():
                shutil.copytree(work / MEDIA, media_root, dirs_exist_ok=True)
    return sum(1 for path in media_root.rglob("*") if path.is_file())


def _supported_vendor(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(data)
        buffer.seek(0)
        tar.addfile(info, buffer)


def _add_media(tar, media_root):
    if not media_root.is_dir():
        return 0
    tar.add(media_root, arcname=MEDIA)
    return sum(1 for path in media_root.rglob("*") if path.is_file())


def _read_manifest(tar):
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(
            "This is not an injurysite backup: it has no readable manifest.json."
        ) from error
    if manifest.get("format") != FORMAT or manifest.get("database") not in DUMP_NAMES:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _checked_members(tar, dump_name):
    """The dump and the media files, after refusing anything that could land outside them."""
    members = []
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise BackupError(
                f"The archive holds an unsafe path, {member.name!r}: nothing was restored."
            )
        if member.name == MANIFEST:
            continue
        inside_media = path.parts[0] == MEDIA and (member.isfile() or member.isdir())
        if not (member.name == dump_name and member.isfile()) and not inside_media:
            raise BackupError(
                f"The archive holds an unexpected entry, {member.name!r}: nothing was restored."
            )
        members.append(member)
    if dump_name not in {member.name for member in members}:
        raise BackupError(f"The archive holds no {dump_name}: nothing was restored.")
    return members


def _require_empty(connection, media_root):
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database already holds {len(tables)} tables: restore into an empty database, "
            "or add --force to replace its contents."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"The media folder {media_root} is not empty: restore into an empty folder, "
            "or add --force to replace its contents."
        )


def _empty_folder(folder):
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _dump_sqlite(connection, dump):
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _restore_sqlite(connection, dump):
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("Cannot restore into an in-memory SQLite database.")
    connection.close()
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(dump), sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _postgresql_env(connection):
    """libpq's environment variables for `connection`, so no password appears on a command line."""
    params = connection.settings_dict
    env = {**os.environ, "PGDATABASE": params["NAME"]}
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if params.get(key):
            env[variable] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return env


def _run_postgresql_tool(arguments, connection):
    tool = shutil.which(arguments[0])
    if tool is None:
        raise BackupError(
            f"{arguments[0]} was not found: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client) in the same major version as the server."
        )
    result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [tool, *arguments[1:]], env=_postgresql_env(connection), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip()}")


def _dump_postgresql(connection, dump):
    _run_postgresql_tool(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
        connection,
    )


def _restore_postgresql(connection, dump, *, clean):
    connection.close()
    options = ["--clean", "--if-exists"] if clean else []
    _run_postgresql_tool(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *options,
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        connection,
    )
