"""The report an import prints and leaves behind for the owner.

Both importers (the old site's pages and a WordPress export) fill one Report:
named counts in the order they were first counted, and named lists of items
(a page and why it was skipped, an image and where it was missing), each
list printed under its count. The dry run fills the same report, so what it
prints is what the real run will do.
"""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Report:
    title: str
    dry_run: bool = False
    counts: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)

    def count(self, name, by=1):
        self.counts[name] = self.counts.get(name, 0) + by

    def add(self, name, item):
        """Count `name` once more and keep `item` (a line of text) under it."""
        self.count(name)
        self.items.setdefault(name, []).append(str(item))

    def note(self, name, item):
        """Keep `item` under `name` without counting it (a detail of a count
        made elsewhere)."""
        self.items.setdefault(name, []).append(str(item))

    def __getitem__(self, name):
        return self.counts.get(name, 0)

    def lines(self):
        yield self.title
        yield (
            "Dry run: nothing was written. This is what the import will do."
            if self.dry_run
            else "Import finished."
        )
        names = list(self.counts) + [name for name in self.items if name not in self.counts]
        width = max((len(name) for name in names), default=0)
        for name in names:
            yield f"{name + ':':<{width + 1}} {self.counts[name] if name in self.counts else len(self.items[name])}"
        for name in names:
            entries = self.items.get(name)
            if entries:
                yield ""
                yield f"{name}:"
                for entry in entries:
                    yield f"  - {entry}"

    def text(self):
        return "\n".join(self.lines()) + "\n"

    def write(self, path):
        Path(path).write_text(self.text(), encoding="utf-8")
