"""Links between the site's own pages, kept by page rather than by address.

When an article is saved, each link of its body that leads to a page of this
site is recorded (ArticleLink) with the article or category it leads to:
found by the slug in its address, by a redirect (an old address), or, when
neither answers any more, by what the last save found (the page was renamed
since). A link whose page now lives elsewhere is shown on the new address:
the stored body keeps what the editor wrote, the rendered body follows the
page. When an article is renamed, the bodies that link to it are rendered
again at once (follow_renamed_article).
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings

from articles.redirects import find_redirect

# "/runners-knee/", "/runners-knee", "/runners-knee.html": one page of the flat namespace.
_PAGE_PATH = re.compile(r"^/(?P<slug>[-\w]+)(?:/|\.html?)?$")


def _model(name):
    # By name: the models' own modules import this one for their save().
    return apps.get_model("articles", name)


def own_hosts():
    hosts = {host.lower().lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"}
    if settings.SITE_URL:
        hosts.add((urlsplit(settings.SITE_URL).hostname or "").lower())
    return hosts - {""}


def internal_path(href):
    """The path of `href` when it leads to a page of this site, else None.

    Relative addresses ("/knee/", not "//host/") and absolute ones on one of
    the site's own hosts count; links within the page ("#causes") do not."""
    href = (href or "").strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in own_hosts():
            return None
    elif not href.startswith("/") or href.startswith("//"):
        return None
    return parts.path or "/"


def page_slug(path):
    """The slug a path of the flat /<slug>/ namespace names, or None."""
    match = _PAGE_PATH.match(path or "")
    return match["slug"] if match else None


def _new_href(href, path):
    parts = urlsplit(href.strip())
    return urlunsplit(parts._replace(path=path))


def resolve_links(*, article, hrefs):
    """{href: (target article id, target category id)} for the internal
    links among `hrefs`; (None, None) for one that leads to no page of ours."""
    from_paths = {}
    for href in dict.fromkeys(hrefs):
        path = internal_path(href)
        if path is not None:
            from_paths[href] = path
    if not from_paths:
        return {}
    previous = {}
    if article.pk is not None:
        previous = {
            href: (target_article, target_category)
            for href, target_article, target_category in _model("ArticleLink")
            .objects.filter(article_id=article.pk, href__in=list(from_paths))
            .values_list("href", "target_article_id", "target_category_id")
        }
    slugs = {page_slug(path) for path in from_paths.values()} - {None}
    articles = dict(_model("Article").objects.filter(slug__in=slugs).values_list("slug", "pk"))
    categories = dict(_model("Category").objects.filter(slug__in=slugs).values_list("slug", "pk"))
    redirected = _redirected_slugs(
        [path for path in from_paths.values() if page_slug(path) not in articles | categories]
    )
    articles |= dict(
        _model("Article")
        .objects.filter(slug__in=set(redirected.values()))
        .values_list("slug", "pk")
    )
    categories |= dict(
        _model("Category")
        .objects.filter(slug__in=set(redirected.values()))
        .values_list("slug", "pk")
    )
    targets = {}
    for href, path in from_paths.items():
        slug = page_slug(path)
        slug = slug if slug in articles or slug in categories else redirected.get(path, slug)
        if slug in articles:
            targets[href] = (articles[slug], None)
        elif slug in categories:
            targets[href] = (None, categories[slug])
        else:
            targets[href] = previous.get(href, (None, None))
    return targets


def _redirected_slugs(paths):
    """{path: slug} for the paths a redirect row sends to a page of the flat namespace."""
    found = {}
    for path in paths:
        row = find_redirect(path)
        slug = page_slug(internal_path(row.new_path) or "") if row and row.new_path else None
        if slug:
            found[path] = slug
    return found


def moved_links(targets):
    """{href: new href} for the links whose page now has another address."""
    article_ids = {a for a, _ in targets.values() if a}
    category_ids = {c for _, c in targets.values() if c}
    if not article_ids and not category_ids:
        return {}
    article_paths = {
        pk: f"/{slug}/"
        for pk, slug in _model("Article")
        .objects.filter(pk__in=article_ids)
        .values_list("pk", "slug")
    }
    category_paths = {
        pk: f"/{slug}/"
        for pk, slug in _model("Category")
        .objects.filter(pk__in=category_ids)
        .values_list("pk", "slug")
    }
    moved = {}
    for href, (article_id, category_id) in targets.items():
        path = article_paths.get(article_id) or category_paths.get(category_id)
        if path and internal_path(href) != path:
            moved[href] = _new_href(href, path)
    return moved


def record_links(*, article, targets, images=()):
    """Store `targets` (resolve_links) as the article's links, and the media
    images among `images` (srcs), replacing what the last save recorded."""
    ArticleLink = _model("ArticleLink")
    ArticleLink.objects.filter(article_id=article.pk).delete()
    rows = [
        ArticleLink(
            article_id=article.pk,
            href=href[:2000],
            target_article_id=target_article,
            target_category_id=target_category,
        )
        for href, (target_article, target_category) in targets.items()
    ]
    rows += [
        ArticleLink(article_id=article.pk, kind=ArticleLink.Kind.IMAGE, href=src[:2000])
        for src in images
        if (internal_path(src) or "").startswith(settings.MEDIA_URL)
    ]
    ArticleLink.objects.bulk_create(rows)


def adopt_links(*, article=None, category=None):
    """Give the links that named this page's address before it existed (or
    before it took that slug) their target: an article may link to one
    written after it."""
    page = article if article is not None else category
    waiting = _model("ArticleLink").objects.filter(
        kind="link",
        target_article__isnull=True,
        target_category__isnull=True,
        href__icontains=f"/{page.slug}",
    )
    found = [row.pk for row in waiting if page_slug(internal_path(row.href) or "") == page.slug]
    if found:
        target = (
            {"target_article": article} if article is not None else {"target_category": category}
        )
        _model("ArticleLink").objects.filter(pk__in=found).update(**target)


def follow_renamed(*, article=None, category=None):
    """Render again the bodies that link to a renamed article or category, so
    their links show its new address (the stored bodies are left as written)."""
    Article = _model("Article")
    incoming = {"target_article": article} if article is not None else {"target_category": category}
    sources = Article.objects.filter(
        pk__in=_model("ArticleLink").objects.filter(**incoming).values("article_id")
    )
    for source in sources:
        source.fill_derived_fields()
        Article.objects.filter(pk=source.pk).update(
            body_html=source.body_html,
            links=source.links,
            citations=source.citations,
            intro_end=source.intro_end,
            banner_at=source.banner_at,
        )
