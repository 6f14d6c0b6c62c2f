"""The categories of a WordPress export, as this site's hubs.

Only categories a kept post uses are made, with their ancestors; they are
flat here (our categories have no parent), so a sub-category becomes a hub
of its own placed right after its parent in the navigation. A category is
known again by `/?cat=<term id>` (an ImportedPage row); one already on the
site with the same slug is used as it is. Posts without a category go to
"Uncategorized", pages to "Pages", each made when first needed.
"""

from urllib.parse import unquote

from django.utils.text import slugify

from articles.models import Article, Category
from articles.redirects import canonical_old_path
from articles.slugs import reserved_slugs
from moving.models import ImportedPage

SOURCE = ImportedPage.Source.WORDPRESS
TITLE_LENGTH = Category._meta.get_field("title").max_length
LOOKUP_BATCH = 2000
PAGES_CATEGORY = ("pages", "Pages")
FALLBACK_CATEGORY = ("uncategorized", "Uncategorized")


def _records(keys):
    found = {}
    for start in range(0, len(keys), LOOKUP_BATCH):
        rows = ImportedPage.objects.filter(
            source=SOURCE, old_address__in=keys[start : start + LOOKUP_BATCH]
        ).select_related("article", "category")
        found.update((row.old_address, row) for row in rows)
    return found


def plan_categories(run, used):
    """(slug, navigation position, record) for every category a kept item
    uses and every ancestor of those, parents before their children."""
    categories = run.channel.categories
    wanted, missing = [], set()

    def visit(nicename, trail):
        if nicename in trail:
            run.report.add("Category parents ignored", f"{nicename}: its parents make a loop")
            return
        category = categories.get(nicename)
        if category is None:
            missing.add(nicename)
            return
        if category.parent and category.parent not in wanted:
            if category.parent in categories:
                visit(category.parent, trail | {nicename})
            elif category.parent not in missing:
                missing.add(category.parent)
                run.report.add(
                    "Category parents ignored",
                    f"{nicename}: its parent {category.parent!r} is not in the export",
                )
        if nicename not in wanted:
            wanted.append(nicename)

    for nicename in sorted(used):
        visit(nicename, frozenset())
    for nicename in sorted(missing - set(categories)):
        if nicename in used:
            run.report.add(
                "Categories not in the export",
                f"{nicename}: its posts are filed under the next category they name, "
                "or Uncategorized",
            )
    # Depth first, so each child follows its parent in the navigation.
    children = {}
    for nicename in wanted:
        children.setdefault(categories[nicename].parent, []).append(nicename)
    ordered = []

    def walk(parent):
        for nicename in sorted(children.get(parent, []), key=lambda n: categories[n].name.lower()):
            if nicename not in ordered:
                ordered.append(nicename)
                walk(nicename)

    walk("")
    ordered += [nicename for nicename in wanted if nicename not in ordered]
    keys = {nicename: _category_key(categories[nicename]) for nicename in ordered}
    records = _records(list(keys.values()))
    base = Category.objects.order_by("-position").values_list("position", flat=True).first() or 0
    taken_by_articles = set(
        Article.objects.filter(slug__in=[slugify(unquote(n)) for n in ordered]).values_list(
            "slug", flat=True
        )
    )
    for position, nicename in enumerate(ordered, start=1):
        record = records.get(keys[nicename])
        if record is not None and record.category is not None:
            slug = record.category.slug
        else:
            slug = slugify(unquote(nicename)) or f"category-{categories[nicename].term_id}"
            if slug in taken_by_articles or slug in reserved_slugs():
                slug = f"{slug}-topics"
        run.category_plan[nicename] = (slug, base + position, record)
    unused = sorted(set(categories) - set(ordered))
    for nicename in unused:
        run.report.add("Categories skipped (no imported post uses them)", nicename)


def _category_key(category):
    if category.term_id.isdigit():
        return f"/?cat={int(category.term_id)}"
    return canonical_old_path(f"/category/{category.slug}/")


def category_forms(run, nicename):
    categories = run.channel.categories
    path, current, seen = [], nicename, set()
    while current in categories and current not in seen:
        seen.add(current)
        path.insert(0, unquote(current))
        current = categories[current].parent
    forms = ["/category/" + "/".join(path) + "/", f"/category/{unquote(nicename)}/"]
    term_id = categories[nicename].term_id
    if term_id.isdigit():
        forms.append(f"/?cat={int(term_id)}")
    return forms


def make_categories(run):
    categories = run.channel.categories
    report = run.report
    for nicename, (slug, position, record) in run.category_plan.items():
        wp = categories[nicename]
        if record is not None and record.category is not None:
            run.categories[nicename] = record.category
            report.count("Categories already imported")
        else:
            category = Category.objects.filter(slug=slug).first()
            if category is not None:
                report.add("Categories already on the site (used as they are)", category.title)
            else:
                intro = f"<p>{_escape(wp.description)}</p>" if wp.description else ""
                category = Category.objects.create(
                    title=(wp.name or nicename)[:TITLE_LENGTH],
                    slug=slug,
                    intro=intro,
                    position=position,
                )
                parent = f" (under {categories[wp.parent].name})" if wp.parent in categories else ""
                report.add("Categories created", f"{category.title} → /{slug}/{parent}")
            ImportedPage.objects.update_or_create(
                source=SOURCE,
                old_address=_category_key(wp),
                defaults={"category": category, "fingerprint": ""},
            )
            run.categories[nicename] = category
        for form in category_forms(run, nicename):
            run.redirects.append((form, run.categories[nicename].get_absolute_url()))


def _fallback_category(run, kind):
    slug, title = PAGES_CATEGORY if kind == "page" else FALLBACK_CATEGORY
    if slug in run.categories:
        return run.categories[slug]
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        # After the imported categories in the navigation.
        last = Category.objects.order_by("-position").values_list("position", flat=True).first()
        category = Category.objects.create(title=title, slug=slug, position=(last or 0) + 1)
        run.report.add("Categories created", f"{title} → /{slug}/ (for {kind}s without one)")
    run.categories[slug] = category
    return category


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def category_for(run, item):
    """The most specific of the item's categories (the deepest one)."""
    known = [run.categories[n] for n in item.categories if n in run.categories]
    if not known:
        return _fallback_category(run, item.post_type)
    if len(known) > 1:
        depth = {n: _depth(run, n) for n in item.categories if n in run.categories}
        deepest = max(depth, key=lambda n: depth[n])
        run.report.add(
            "Posts in several categories (filed under the most specific)",
            f"{item.label}: {run.categories[deepest].title}",
        )
        return run.categories[deepest]
    return known[0]


def _depth(run, nicename):
    categories, depth, seen = run.channel.categories, 0, set()
    while nicename in categories and categories[nicename].parent and nicename not in seen:
        seen.add(nicename)
        nicename = categories[nicename].parent
        depth += 1
    return depth
