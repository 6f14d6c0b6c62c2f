"""A saved copy of the old site, as a folder, a .zip or a .tar.gz.

An archive is checked whole before anything is unpacked: a member with an
absolute path or a `..` part, a link or a device, more than MAX_MEMBERS files
or more than `max_bytes` unpacked (counted while unpacking, not taken from
the archive's own headers, which can lie) refuses the whole archive with one
line (MirrorError). What is accepted is unpacked into a temporary folder that
is removed afterwards; a folder is read where it is, and refused if it holds a
link (which could reach files outside it).
"""

import os
import stat
import tarfile
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

# 2 GiB unpacked: a 2,000-page site with its images is a few hundred MB.
DEFAULT_MAX_BYTES = 2 * 1024**3
MAX_MEMBERS = 200_000
PAGE_SUFFIXES = (".html", ".htm")
# The largest page read; a saved page is rarely over 1 MB.
MAX_PAGE_BYTES = 10 * 1024**2


class MirrorError(Exception):
    """SOURCE cannot be read as a mirror of a site; the message says why, in one line."""


class Mirror:
    """The files of a mirror, by their path from the site's root ("images/knee.jpg")."""

    def __init__(self, root, mtimes=None):
        self.root = _site_root(Path(root))
        self.files = {}
        for folder, dirs, names in os.walk(self.root):
            dirs.sort()
            for name in sorted(names):
                full = Path(folder) / name
                self.files[full.relative_to(self.root).as_posix()] = full
        # Lower-cased paths, for links whose case differs from the file's.
        self.by_lower = {}
        for path in self.files:
            self.by_lower.setdefault(path.lower(), path)
        # Pages under sd/ are the site builder's own files, not the owner's pages.
        self.pages = [
            path
            for path in self.files
            if path.lower().endswith(PAGE_SUFFIXES) and not path.startswith("sd/")
        ]
        if not self.pages:
            raise MirrorError(
                "SOURCE holds no .html pages: it is not a saved copy (mirror) of a site."
            )

    def find(self, path):
        """The mirror's own spelling of `path` (any case), or None."""
        path = path.lstrip("/")
        if path in self.files:
            return path
        return self.by_lower.get(path.lower())

    def read_bytes(self, path):
        return self.files[path].read_bytes()

    def size(self, path):
        return self.files[path].stat().st_size

    def mtime(self, path):
        return self.files[path].stat().st_mtime

    def open(self, path):
        return self.files[path].open("rb")


def _site_root(root):
    """Mirroring tools often save a site under a folder named after its host:
    step into a lone folder until pages are found."""
    while True:
        entries = [entry for entry in root.iterdir() if not entry.name.startswith(".")]
        has_pages = any(e.is_file() and e.name.lower().endswith(PAGE_SUFFIXES) for e in entries)
        folders = [entry for entry in entries if entry.is_dir()]
        if has_pages or len(folders) != 1:
            return root
        root = folders[0]


@contextmanager
def open_mirror(source, *, max_bytes=DEFAULT_MAX_BYTES):
    """A Mirror of the folder or archive `source`, for the length of the block."""
    path = Path(source)
    if not path.exists():
        raise MirrorError(f"{source}: no such file or folder.")
    if path.is_dir():
        _refuse_links(path)
        yield Mirror(path)
        return
    with tempfile.TemporaryDirectory(prefix="import-pages-") as folder:
        if zipfile.is_zipfile(path):
            _unzip(path, Path(folder), max_bytes)
        elif _is_tar(path):
            _untar(path, Path(folder), max_bytes)
        else:
            raise MirrorError(f"{source} is not a folder, a .zip or a .tar.gz archive.")
        yield Mirror(folder)


def _is_tar(path):
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


def _refuse_links(folder):
    for current, dirs, names in os.walk(folder):
        for name in dirs + names:
            if (Path(current) / name).is_symlink():
                where = (Path(current) / name).relative_to(folder)
                raise MirrorError(f"{where} is a symbolic link; copy the files themselves instead.")


def _member_path(name):
    """`name` as a safe relative path, or MirrorError."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise MirrorError(f"The archive member {name!r} has an absolute path; refused.")
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise MirrorError(f"The archive member {name!r} points outside the archive (..); refused.")
    if any(ord(char) < 32 for char in name):
        raise MirrorError(f"The archive member {name!r} has control characters; refused.")
    return PurePosixPath(*[part for part in parts if part not in ("", ".")])


def _too_big(max_bytes):
    return MirrorError(
        f"The archive unpacks to more than {max_bytes // 1024**2:,} MB; refused (an archive "
        "bomb, or a site larger than --max-size allows)."
    )


def _copy_bounded(source, target, budget, max_bytes):
    """Copy a stream into `target`, returning the budget left."""
    with target.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            budget -= len(chunk)
            if budget < 0:
                raise _too_big(max_bytes)
            out.write(chunk)
    return budget


def _unzip(path, folder, max_bytes):
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise MirrorError(f"The archive has more than {MAX_MEMBERS:,} files; refused.")
            checked = []
            for member in members:
                relative = _member_path(member.filename)
                mode = member.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise MirrorError(f"The archive member {member.filename!r} is a link; refused.")
                checked.append((member, relative))
            if sum(member.file_size for member in members) > max_bytes:
                raise _too_big(max_bytes)
            budget = max_bytes
            for member, relative in checked:
                target = folder / relative
                if member.is_dir() or not relative.parts:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source:
                    budget = _copy_bounded(source, target, budget, max_bytes)
                stamp = time.mktime((*member.date_time, 0, 0, -1))
                os.utime(target, (stamp, stamp))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise MirrorError(f"{path} cannot be read as a .zip archive: {error}.") from None


def _untar(path, folder, max_bytes):
    try:
        with tarfile.open(path, "r:*") as archive:
            checked = []
            for count, member in enumerate(archive, start=1):
                if count > MAX_MEMBERS:
                    raise MirrorError(f"The archive has more than {MAX_MEMBERS:,} files; refused.")
                relative = _member_path(member.name)
                if member.issym() or member.islnk():
                    raise MirrorError(f"The archive member {member.name!r} is a link; refused.")
                if not (member.isfile() or member.isdir()):
                    raise MirrorError(
                        f"The archive member {member.name!r} is not a file or folder; refused."
                    )
                checked.append((member, relative))
            budget = max_bytes
            for member, relative in checked:
                target = folder / relative
                if member.isdir() or not relative.parts:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                budget = _copy_bounded(source, target, budget, max_bytes)
                os.utime(target, (member.mtime, member.mtime))
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise MirrorError(f"{path} cannot be read as a .tar.gz archive: {error}.") from None
