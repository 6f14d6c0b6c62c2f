"""The redirects of a WordPress import, written in bulk.

An export of a few thousand posts has five or so old addresses each; written
one by one through articles.redirects.save_redirect (which looks for chains
to flatten on every row) that is minutes of queries. Here the rows are
stored under the same canonical form (canonical_old_path), in batches, and
the one-hop rule is kept once for the whole set: rows elsewhere that led to
one of these old addresses are pointed straight at its new one.
"""

import re

from django.conf import settings
from django.contrib.redirects.models import Redirect

from articles.models import Article, Category
from articles.redirects import MAX_PATH, canonical_old_path

BATCH = 2000


def store_redirects(pairs, *, report):
    """Store each (old address, new path) of `pairs`, the first one for each
    old address winning, and count what happened in `report`."""
    planned = {}
    for old, new in pairs:
        canonical = canonical_old_path(old)
        if not canonical or canonical == "/" or canonical in planned:
            continue
        if canonical == canonical_old_path(new):
            continue  # the page lives there already
        if len(canonical) > MAX_PATH:
            report.add("Redirects refused", f"{old}: longer than {MAX_PATH} characters")
            continue
        planned[canonical] = new
    for canonical in _shadowed(planned):
        del planned[canonical]
    olds = list(planned)
    existing = {}
    for start in range(0, len(olds), BATCH):
        rows = Redirect.objects.filter(
            site_id=settings.SITE_ID, old_path__in=olds[start : start + BATCH]
        )
        existing.update((row.old_path, row) for row in rows)
    created, updated = [], []
    for canonical, new in planned.items():
        row = existing.get(canonical)
        if row is None:
            created.append(Redirect(site_id=settings.SITE_ID, old_path=canonical, new_path=new))
        elif row.new_path == new:
            report.count("Redirects already there")
        else:
            report.add("Redirects updated", f"{canonical}: {row.new_path} → {new}")
            row.new_path = new
            updated.append(row)
    Redirect.objects.bulk_create(created, batch_size=500)
    Redirect.objects.bulk_update(updated, ["new_path"], batch_size=500)
    report.count("Redirects created", len(created))
    _flatten_chains_into(planned)


def _shadowed(planned):
    """The `/slug/` addresses among `planned` where a page of the site
    answers: redirects answer only where the site says 404, so such a row
    would never be reached."""
    slugs = {}
    for canonical in planned:
        match = re.fullmatch(r"/([\w-]+)/", canonical)
        if match:
            slugs[match[1]] = canonical
    names = list(slugs)
    live = set()
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        for model in (Article, Category):
            live.update(model.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    return [slugs[slug] for slug in live]


def _flatten_chains_into(planned):
    """Rows that led to one of the `planned` old addresses lead to its new
    address instead: one hop, not two."""
    olds = list(planned)
    for start in range(0, len(olds), BATCH):
        chunk = olds[start : start + BATCH]
        stale = Redirect.objects.filter(site_id=settings.SITE_ID, new_path__in=chunk).exclude(
            old_path__in=chunk
        )
        changed = []
        for row in stale:
            target = planned[canonical_old_path(row.new_path)]
            if canonical_old_path(target) != row.old_path:
                row.new_path = target
                changed.append(row)
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=500)
