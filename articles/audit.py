"""The link audit: what a reader would find broken, and what nothing leads to.

- orphans: published articles that no other published article, and no hub's
  introduction, links to (the hub's own list does not count: it lists every
  article of the category whether or not anything points readers to it);
- broken links: links in published articles and hub introductions to an
  address of this site that answers 404;
- links to unpublished pages: to a draft or a scheduled article;
- missing images: images in published articles and hub introductions, and
  articles' listing pictures, whose file is not in media storage;
- citations without a reference: [ref N] in a body with no reference N.

Article links and images come from the link table filled at each save
(articles.links), so no article body is parsed; hub introductions are read
with core.markup. Orphans are reported but are
not errors; everything else is (`manage.py audit_links` exits non-zero).
"""

from dataclasses import dataclass, field
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models import F
from django.urls import Resolver404, resolve

from articles.links import internal_path, record_links, resolve_links
from articles.models import Article, ArticleLink, Category, Reference
from articles.redirects import find_redirect
from core.markup import anchors_of, parse


@dataclass(frozen=True)
class Problem:
    page: object  # the Article or Category where it was found
    what: str  # the address, image or citation
    why: str


@dataclass
class LinkAudit:
    orphans: list = field(default_factory=list)
    broken_links: list = field(default_factory=list)
    unpublished_links: list = field(default_factory=list)
    missing_images: list = field(default_factory=list)
    uncited: list = field(default_factory=list)

    @property
    def problems(self):
        return self.broken_links + self.unpublished_links + self.missing_images + self.uncited

    @property
    def is_broken(self):
        return bool(self.problems)

    def sections(self):
        """(heading, problems) of each part of the report, errors first."""
        return [
            ("Links that answer 404", self.broken_links),
            ("Links to unpublished pages", self.unpublished_links),
            ("Images whose file is missing", self.missing_images),
            ("Citations without a reference", self.uncited),
        ]


def _media_name(src):
    """The storage name of a media address (relative or on our host), else None."""
    path = internal_path(src)
    if path is None or not path.startswith(settings.MEDIA_URL):
        return None
    return unquote(path.removeprefix(settings.MEDIA_URL))


def _is_stored(name):
    try:
        return default_storage.exists(name)
    except SuspiciousFileOperation:  # "/media/../x": no file of ours
        return False


def _missing_files(srcs):
    return [
        src for src in dict.fromkeys(srcs) if (name := _media_name(src)) and not _is_stored(name)
    ]


def _image_sources(markup):
    return [
        token.attrs.get("src", "")
        for token in parse(markup)
        if token.kind == "start" and token.tag == "img"
    ]


def _address_problem(href):
    """Why an internal address that no article or category answers fails, or ""."""
    path = internal_path(href)
    name = _media_name(href)
    if name is not None:
        return "" if _is_stored(name) else "The file is missing."
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.view_name != "articles:page":
        return ""
    if find_redirect(path):
        return ""  # an old address that still leads somewhere
    return "No page has this address (404)."


def _link_problem(href, target):
    """(kind, why) of one internal link found in a public page, or None."""
    if isinstance(target, Article):
        if target.is_published:
            return None
        when = "is scheduled" if target.is_scheduled else "is a draft"
        return "unpublished", f"“{target.title}” {when}."
    if isinstance(target, Category):
        return None
    why = _address_problem(href)
    return ("broken", why) if why else None


def audit_links():
    """The whole report, over every published article and every hub."""
    report = LinkAudit()
    published = Article.objects.published()
    rows = (
        ArticleLink.objects.filter(article__in=published, kind=ArticleLink.Kind.LINK)
        .select_related("article", "target_article", "target_category")
        .only(
            "href",
            "article__title",
            "article__slug",
            "target_article__title",
            "target_article__slug",
            "target_article__status",
            "target_article__published_at",
            "target_category__slug",
        )
        .order_by("article__title", "pk")
    )
    for row in rows:
        found = _link_problem(row.href, row.target_article or row.target_category)
        if found:
            kind, why = found
            problems = report.broken_links if kind == "broken" else report.unpublished_links
            problems.append(Problem(row.article, row.href, why))

    linked_from_hubs = set()
    for category in Category.objects.only("title", "slug", "intro"):
        tokens = parse(category.intro)
        hrefs = [tag.attrs.get("href", "") for tag, _ in anchors_of(tokens)]
        targets = resolve_links(article=Article(), hrefs=hrefs)
        pages = Article.objects.in_bulk([a for a, _ in targets.values() if a])
        for href, (article_id, category_id) in targets.items():
            target = pages.get(article_id) or (category if category_id else None)
            if article_id:
                linked_from_hubs.add(article_id)
            found = _link_problem(href, target)
            if found:
                kind, why = found
                problems = report.broken_links if kind == "broken" else report.unpublished_links
                problems.append(Problem(category, href, why))
        for src in _missing_files(_image_sources(category.intro)):
            report.missing_images.append(Problem(category, src, "The image's file is missing."))

    linked = (
        ArticleLink.objects.filter(article__in=published, target_article__isnull=False)
        .exclude(article_id=F("target_article_id"))
        .values("target_article_id")
    )
    report.orphans = list(
        published.exclude(pk__in=linked)
        .exclude(pk__in=linked_from_hubs)
        .only("title", "slug")
        .order_by("title")
    )

    numbers = {}
    for article_id, number in Reference.objects.filter(article__in=published).values_list(
        "article_id", "number"
    ):
        numbers.setdefault(article_id, set()).add(number)
    for article in published.only("title", "slug", "citations").order_by("title"):
        cited = {number for number, _ in article.citations or ()}
        for number in sorted(cited - numbers.get(article.pk, set())):
            report.uncited.append(
                Problem(article, f"[ref {number}]", f"The article has no reference {number}.")
            )

    # Images as each save recorded them, and listing pictures: no body is read.
    images = ArticleLink.objects.filter(article__in=published, kind=ArticleLink.Kind.IMAGE)
    found = [
        (row.article, row.href)
        for row in images.select_related("article").only("href", "article__title", "article__slug")
    ]
    found += [
        (article, article.image.url)
        for article in published.exclude(image="").only("title", "slug", "image")
    ]
    missing = set(_missing_files(src for _, src in found))
    for page, src in sorted(found, key=lambda item: (item[0].title, item[1])):
        if src in missing:
            report.missing_images.append(Problem(page, src, "The image's file is missing."))
    return report


def refresh_links():
    """Record the internal links and images of every article again from its
    stored HTML (for articles saved before they were recorded, or loaded in
    bulk); returns how many articles were read."""
    count = 0
    for article in Article.objects.only("pk", "links", "body_html").iterator(chunk_size=500):
        hrefs = [link[0] for link in article.links]
        record_links(
            article=article,
            targets=resolve_links(article=article, hrefs=hrefs),
            images=_image_sources(article.body_html),
        )
        count += 1
    return count
