"""What to fix before an article goes public.

`check_publication` reads the article as it would be published (title,
excerpt, meta description and the body, cleaned as a save would clean it)
and returns the problems that block publishing and the warnings that do not,
each a sentence naming what to fix and where. The admin calls it wherever an
article becomes public: saving the form with status "Published" (now or
scheduled) and the list's "Publish" action; `check_article` is the same call
for an Article (or a draft revision of one) already in memory.

Problems: a body image without alt text that is not marked decorative (the
Styles menu's "Decorative image", class="decorative", which the sanitiser
keeps), headings that skip a level, an empty meta description, a link to a
page of this site that does not exist or is not public (redirects followed),
and an affiliate link outside the allow-list. Warnings: a title longer than
search results show, and an excerpt that listings will cut.

Nothing is written and no image is resized: the body is only cleaned and
read with the one parser of stored HTML (core.markup).
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateformat import format as date_format

from affiliates.hosts import host_of, is_affiliate_host, validate_affiliate_destination
from affiliates.models import AffiliateLink
from affiliates.parsing import go_slug_of
from articles.body_images import is_decorative
from articles.models import Article, Category
from articles.redirects import find_redirect
from articles.sanitize import sanitize_html
from articles.text import cut_at_word
from core.markup import anchors_of, parse, text_of

# Search engines show about this many characters of a title.
TITLE_SHOWN = 60
HEADING_TAGS = {"h2": 2, "h3": 3, "h4": 4}
# Query parameters by which merchants' affiliate programmes know whose click
# it was, beside each affiliate link's own `tracking_parameter`.
AFFILIATE_PARAMETERS = frozenset(
    {"tag", "affid", "aff_id", "affiliate", "affiliate_id", "aff", "ranmid", "clickref"}
)
# Hosts of affiliate networks: a link through one of them is an affiliate link.
AFFILIATE_NETWORK_HOSTS = (
    "amzn.to",
    "shareasale.com",
    "awin1.com",
    "linksynergy.com",
    "anrdoezrs.net",
    "jdoqocy.com",
    "tkqlhce.com",
    "dpbolvw.net",
    "kqzyfj.com",
    "avantlink.com",
    "prf.hn",
    "skimresources.com",
)


@dataclass(frozen=True)
class Finding:
    """One thing to fix: `kind` names the rule (for the history's change
    reason), `message` tells the editor what and where."""

    kind: str
    message: str


# Short names of the rules, for a change reason that fits its 100 characters.
KIND_NAMES = {
    "image_alt": "image alt text",
    "heading_order": "heading order",
    "meta_description": "meta description",
    "internal_link": "internal link",
    "affiliate_link": "affiliate link",
    "long_title": "long title",
    "long_excerpt": "long excerpt",
}


# The box an editor ticks to publish in spite of problems.
ACCEPT_LABEL = "Publish anyway: I have checked these problems"
# The length of simple_history's history_change_reason column.
CHANGE_REASON_LENGTH = 100


@dataclass
class PublishChecks:
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def is_blocking(self):
        return bool(self.problems)

    def summary(self):
        """The problems in a few words, e.g. "2 problems: image alt text, meta description"."""
        kinds = ", ".join(dict.fromkeys(KIND_NAMES[finding.kind] for finding in self.problems))
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''}: {kinds}"


def accepted_reason(reason, checks):
    """The revision's change reason when `checks`' problems were accepted:
    the editor's own `reason` (if any) and which problems, within the
    column's length."""
    accepted = f"Published anyway ({checks.summary()})"
    text = f"{reason}; {accepted}" if reason else accepted
    return text if len(text) <= CHANGE_REASON_LENGTH else text[: CHANGE_REASON_LENGTH - 1] + "…"


def check_publication(*, title, excerpt, meta_description, body, slug=""):
    """The problems and warnings of an article about to be published.

    `body` is the editor's HTML; it is cleaned as saving would clean it, so
    what is checked is what readers would get. `slug` is the article's own
    address: links to it count as links to a public page.
    """
    tokens = parse(sanitize_html(body))
    checks = PublishChecks()
    checks.problems += _image_problems(tokens)
    checks.problems += _heading_problems(tokens)
    if not (meta_description or "").strip():
        checks.problems.append(
            Finding(
                "meta_description",
                "The meta description is empty. Write one or two sentences for search results "
                "under “Advanced” → “Meta description”.",
            )
        )
    hrefs = list(dict.fromkeys(tag.attrs.get("href", "") for tag, _ in anchors_of(tokens)))
    link_problems, link_warnings = _link_findings(hrefs, own_slug=slug)
    checks.problems += link_problems
    checks.warnings += _text_warnings(title, excerpt) + link_warnings
    return checks


def check_article(article):
    """check_publication for an Article, or anything with its fields (a draft revision)."""
    return check_publication(
        title=article.title,
        excerpt=article.excerpt,
        meta_description=article.meta_description,
        body=article.body,
        slug=article.slug,
    )


def _image_problems(tokens):
    problems, number = [], 0
    for token in tokens:
        if token.kind != "start" or token.tag != "img":
            continue
        number += 1
        if token.attrs.get("alt", "").strip() or is_decorative(token.attrs):
            continue
        name = PurePosixPath(urlsplit(token.attrs.get("src", "")).path).name or "with no address"
        problems.append(
            Finding(
                "image_alt",
                f"Image {number} in the body ({name}) has no alt text. Double-click it and "
                "describe it in “Alternative Text”; if it is only decoration, select it and "
                "choose “Decorative image” in the Styles menu.",
            )
        )
    return problems


def _heading_problems(tokens):
    """Each heading more than one level below the one before it (the title is h1)."""
    problems, previous, previous_text = [], 1, ""
    opened = None
    for index, token in enumerate(tokens):
        if token.kind == "start" and token.tag in HEADING_TAGS:
            opened, start = token, index
        elif opened is not None and token.kind == "end" and token.tag == opened.tag:
            level = HEADING_TAGS[opened.tag]
            text = text_of(tokens[start + 1 : index]) or "(empty)"
            if level > previous + 1:
                if previous > 1:
                    where = f"follows “{previous_text}” (h{previous})"
                else:
                    where = "is the first heading"
                problems.append(
                    Finding(
                        "heading_order",
                        f"The heading “{text}” ({opened.tag}) {where}: a level is skipped, "
                        "which misleads readers of screen readers and the table of contents. "
                        f"Make it an h{previous + 1}, or add the missing heading above it.",
                    )
                )
            previous, previous_text, opened = level, text, None
    return problems


def _text_warnings(title, excerpt):
    warnings = []
    title = " ".join((title or "").split())
    if len(title) > TITLE_SHOWN:
        shown = cut_at_word(title, TITLE_SHOWN)
        warnings.append(
            Finding(
                "long_title",
                f"The title is {len(title)} characters; search results show about "
                f"{TITLE_SHOWN}, so readers may see only “{shown}”.",
            )
        )
    excerpt = " ".join((excerpt or "").split())
    if len(excerpt) > settings.EXCERPT_LENGTH:
        shown = cut_at_word(excerpt, settings.EXCERPT_LENGTH)
        warnings.append(
            Finding(
                "long_excerpt",
                f"The excerpt is {len(excerpt)} characters; listings cut it at about "
                f"{settings.EXCERPT_LENGTH}, so it will end “…{shown[-40:]}”.",
            )
        )
    return warnings


def _own_hosts():
    hosts = {host.lower().lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"}
    if settings.SITE_URL:
        hosts.add(host_of(settings.SITE_URL))
    return hosts


def _link_findings(hrefs, *, own_slug):
    """(problems, warnings) about the body's links."""
    problems, warnings = [], []
    own_hosts = _own_hosts()
    internal, go_slugs = {}, {}
    tracking_names = None  # read from the affiliate links at the first link to another site
    for href in hrefs:
        href = href.strip()
        try:
            parts = urlsplit(href)
        except ValueError:
            problems.append(
                Finding(
                    "internal_link", f"The link {href} is not an address: correct it or remove it."
                )
            )
            continue
        slug = go_slug_of(href)
        if slug:
            go_slugs.setdefault(slug, href)
        elif parts.scheme in ("http", "https") and host_of(href) not in own_hosts:
            if tracking_names is None:
                tracking_names = AFFILIATE_PARAMETERS | _known_tracking_parameters()
            found = _external_problem(href, parts, tracking_names)
            if found:
                (warnings if found.kind == "warning" else problems).append(found.finding)
        elif not parts.scheme and not parts.netloc and parts.path:
            if not parts.path.startswith("/"):
                problems.append(
                    Finding(
                        "internal_link",
                        f"The link {href} is relative, so it leads somewhere under this "
                        "article's own address. Start it with “/” (e.g. “/runners-knee/”).",
                    )
                )
            else:
                internal.setdefault(unquote(parts.path), href)
        elif parts.scheme in ("http", "https"):
            internal.setdefault(unquote(parts.path or "/"), href)
    problems += _internal_problems(internal, own_slug=own_slug)
    go_problems, go_warnings = _go_findings(go_slugs)
    return problems + go_problems, warnings + go_warnings


@dataclass(frozen=True)
class _External:
    kind: str
    finding: Finding


def _external_problem(href, parts, tracking_names):
    if is_affiliate_host(href):
        return _External(
            "warning",
            Finding(
                "affiliate_link",
                f"The link {href} goes straight to the merchant. Create an affiliate link for "
                "it and link the text to its /go/ address, so clicks are counted.",
            ),
        )
    host = host_of(href)
    parameters = {name.lower() for name, _ in parse_qsl(parts.query)}
    tracking = parameters & tracking_names
    network = any(host == name or host.endswith("." + name) for name in AFFILIATE_NETWORK_HOSTS)
    if not tracking and not network:
        return None
    why = (
        f"it carries “{sorted(tracking)[0]}=”"
        if tracking
        else "it goes through an affiliate network"
    )
    allowed = ", ".join(sorted(name.lower() for name in settings.AFFILIATE_ALLOWED_HOSTS))
    return _External(
        "problem",
        Finding(
            "affiliate_link",
            f"The link {href} looks like an affiliate link ({why}), but “{host}” is not on the "
            f"site's affiliate allow-list ({allowed}). Remove it, or ask the site owner to add "
            "the programme and link to its /go/ address.",
        ),
    )


def _known_tracking_parameters():
    names = AffiliateLink.objects.values_list("tracking_parameter", flat=True).distinct()
    return {name.lower() for name in names if name}


def _go_findings(go_slugs):
    problems, warnings = [], []
    if not go_slugs:
        return problems, warnings
    links = {link.slug: link for link in AffiliateLink.objects.filter(slug__in=list(go_slugs))}
    for slug, href in go_slugs.items():
        link = links.get(slug)
        if link is None:
            problems.append(
                Finding(
                    "affiliate_link",
                    f"The link {href} names no affiliate link (no link has the slug “{slug}”): "
                    "readers who click it get “page not found”. Create it under Affiliate "
                    "links, or correct the address.",
                )
            )
            continue
        try:
            validate_affiliate_destination(link.destination_url)
        except ValidationError as error:
            problems.append(
                Finding(
                    "affiliate_link",
                    f"The affiliate link “{link.name}” ({href}) leads outside the allow-list: "
                    f"{' '.join(error.messages)} Change its destination, or link to another.",
                )
            )
            continue
        if not link.is_active:
            warnings.append(
                Finding(
                    "affiliate_link",
                    f"The affiliate link “{link.name}” ({href}) is switched off: readers who "
                    "click it are told the offer has ended.",
                )
            )
    return problems, warnings


def _internal_problems(paths, *, own_slug):
    """Problems with links to this site's own pages: {path: href as written}.

    A link to an address that no page answers is followed through the
    redirects (rows are flattened, so one hop), and the page it lands on is
    checked like any other."""
    problems, by_slug = [], {}
    for path, href in paths.items():
        target = _resolve(path)
        if target is None:
            problems += _redirected(path, href, by_slug)
        elif target[0] == "slug":
            by_slug.setdefault(target[1], []).append((path, href))
        elif target[0] == "media" and not _media_exists(target[1]):
            problems.append(_not_found(href))
        elif target[0] == "admin":
            problems.append(
                Finding(
                    "internal_link",
                    f"The link {href} goes to the admin, which readers cannot open. Link to the "
                    "public page instead.",
                )
            )
    states = _slug_states(set(by_slug) - {own_slug})
    onward = {}
    for slug, links in by_slug.items():
        for path, href in links:
            if slug == own_slug:
                continue
            if slug in states:
                problems += _state_problems(states[slug], href)
            else:
                problems += _redirected(path, href, onward)
    # Where redirects lead: one more look-up, and no further (they do not chain).
    states = _slug_states(set(onward) - {own_slug} - set(states)) | states
    for slug, links in onward.items():
        for _, href in links:
            if slug == own_slug:
                continue
            problems += (
                _state_problems(states[slug], href) if slug in states else [_not_found(href)]
            )
    return problems


def _redirected(path, href, by_slug):
    """Problems of a link to `path`, which no page answers, through its
    redirect; a redirect to an article or category address is added to
    `by_slug` for checking."""
    row = find_redirect(path)
    if row is None:
        return [_not_found(href)]
    if not row.new_path:
        return [
            Finding(
                "internal_link",
                f"The link {href} leads to a page that was removed (it answers “gone”). Link to "
                "another page, or remove the link.",
            )
        ]
    if not row.new_path.startswith("/"):
        return []  # another site's page: not ours to check
    target = _resolve(unquote(urlsplit(row.new_path).path))
    if target is None:
        return [_not_found(href)]
    if target[0] == "slug":
        by_slug.setdefault(target[1], []).append((path, href))
    return []


def _slug_states(slugs):
    """{slug: "category" or the Article} for the slugs that name a page."""
    if not slugs:
        return {}
    articles = Article.objects.filter(slug__in=slugs).only(
        "slug", "title", "status", "published_at"
    )
    states = {article.slug: article for article in articles}
    for slug in Category.objects.filter(slug__in=slugs).values_list("slug", flat=True):
        states[slug] = "category"
    return states


def _state_problems(state, href):
    if state == "category" or state.is_published:
        return []
    if state.is_scheduled:
        when = date_format(timezone.localtime(state.published_at), "M d, Y h:i A")
        message = (
            f"The link {href} leads to “{state.title}”, which is scheduled for {when}: until "
            "then readers get “page not found”. Remove the link or publish that article first."
        )
    else:
        message = (
            f"The link {href} leads to “{state.title}”, which is a draft: readers get “page not "
            "found”. Publish that article first, or remove the link."
        )
    return [Finding("internal_link", message)]


def _not_found(href):
    return Finding(
        "internal_link",
        f"The link {href} leads to a page that does not exist (readers get “page not found”). "
        "Correct the address, or remove the link.",
    )


def _resolve(path):
    """("slug", slug) for a category or article address, ("media", name),
    ("admin", path), ("page", path) for another page of the site, or None."""
    if path.startswith(settings.MEDIA_URL):
        return "media", path[len(settings.MEDIA_URL) :]
    if path.startswith("/" + settings.ADMIN_PATH):
        return "admin", path
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
        return "page", path
    for candidate in (path, path if path.endswith("/") else path + "/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if match.view_name in ("articles:page", "articles:old_address"):
            return "slug", match.kwargs["slug"]
        return "page", candidate
    return None


def _media_exists(name):
    try:
        return bool(name) and default_storage.exists(name)
    except SuspiciousFileOperation:
        return False
