"""The images of a WordPress export: found in a copy of wp-content/uploads,
copied into MEDIA_ROOT after the import's transaction commits.

Nothing is fetched over the network. An image address on the old site
(`https://old.example/wp-content/uploads/2019/05/knee-300x200.jpg`, the
same path without the host, or Jetpack's `i0.wp.com/old.example/...` copy)
names a file under the folder given with --media; the original is used
when WordPress's resized copy (`-300x200`) has one beside it. Each file is
checked with Pillow (core.images) while the import plans, and copied, as
Pillow's clean re-encoding, to MEDIA_ROOT/wordpress/<same path> once the
database has committed, so a failed import leaves no file behind and a
second run finds the copies already there. A path that would land outside
the --media folder or MEDIA_ROOT is refused.
"""

import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File

from core.images import check_image, clean_image

UPLOADS = "/wp-content/uploads/"
FOLDER = "wordpress"
_PHOTON = re.compile(r"^i\d\.wp\.com$")
_RESIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")


def _inside(path, folder):
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


class Media:
    """What one import does with image addresses: each address decided once."""

    def __init__(self, *, folder, old_hosts, report):
        self.folder = Path(folder) if folder else None
        if self.folder is not None and (self.folder / "uploads").is_dir():
            self.folder = self.folder / "uploads"  # given wp-content itself
        self.old_hosts = old_hosts
        self.report = report
        self.decided = {}  # address → new address or None
        self.plan = {}  # name in MEDIA_ROOT → source file
        self.copied = 0

    def upload_path(self, address):
        """The path under wp-content/uploads that `address` names, or None
        when it is not an image of the old site."""
        try:
            parts = urlsplit(address.strip())
        except ValueError:
            return None
        host = (parts.hostname or "").lower()
        path = unquote(parts.path)
        if host and _PHOTON.match(host):
            host, _, path = path.lstrip("/").partition("/")
            path = "/" + path
        if host and host not in self.old_hosts:
            return None
        if UPLOADS not in path:
            return None
        return path.split(UPLOADS, 1)[1]

    def new_address(self, address):
        """The address of the copy in MEDIA_ROOT for an old-site image, or
        None (left as it is, and reported) when there is none."""
        if address in self.decided:
            return self.decided[address]
        relative = self.upload_path(address)
        new = None if relative is None else self._plan(address, relative)
        self.decided[address] = new
        return new

    def _plan(self, address, relative):
        if self.folder is None:
            self.report.add("Images not copied (no --media folder)", address)
            return None
        source = self.folder / relative
        if not _inside(source, self.folder):
            self.report.add("Images refused", f"{address}: outside the --media folder")
            return None
        original = source.with_name(_RESIZED.sub("", source.name))
        if original != source and original.is_file():
            source = original
        if not source.is_file():
            self.report.add("Images missing from the --media folder", address)
            return None
        try:
            with source.open("rb") as handle:
                extension = check_image(File(handle, name=source.name))
        except (ValidationError, OSError) as error:
            why = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self.report.add("Images refused", f"{address}: {why}")
            return None
        stored = PurePosixPath(source.relative_to(self.folder).as_posix()).with_suffix(
            f".{extension}"
        )
        name = f"{FOLDER}/{stored}"
        if not _inside(Path(settings.MEDIA_ROOT) / name, Path(settings.MEDIA_ROOT)):
            self.report.add("Images refused", f"{address}: would land outside MEDIA_ROOT")
            return None
        self.plan[name] = source
        return settings.MEDIA_URL + quote(name)

    def write(self):
        """Copy the planned files into MEDIA_ROOT (after the commit); those
        already there are left as they are. Returns the names written."""
        root = Path(settings.MEDIA_ROOT)
        written = []
        for name, source in self.plan.items():
            target = root / name
            if target.exists():
                self.report.count("Images already in MEDIA_ROOT")
                continue
            try:
                self._copy(source, target)
            except (OSError, ValidationError) as error:
                # The database has committed: the article stays, its image
                # address waits for the file (a second run copies it).
                self.report.add("Images that could not be copied", f"{name}: {error}")
                continue
            written.append(name)
            self.report.count("Images copied")
        return written

    @staticmethod
    def _copy(source, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as handle:
            clean = clean_image(File(handle, name=source.name))
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".import-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(clean.read())
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
