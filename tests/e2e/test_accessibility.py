"""The reader pages, with the demo content, checked by two outside tools:
axe-core (accessibility, run inside Chromium) and the W3C Nu HTML checker
(vnu.jar, run once on Java for all pages). Both come from package.json;
`make test` installs them (npm ci). A missing tool fails the test."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category, Reference
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# name: (address, status)
PAGES = {
    "home": ("/", 200),
    "hub": ("/running-injuries/", 200),
    "hub-page-2": ("/running-injuries/?page=2", 200),
    "article": ("/runners-knee/", 200),
    "search": ("/search/?q=knee", 200),
    "search-page-2": ("/search/?q=knee&page=2", 200),
    "search-empty": ("/search/", 200),
    "disclosure": ("/disclosure/", 200),
    "find": ("/find/", 200),
    "find-region": ("/find/knee/", 200),
    "find-symptom": ("/find/knee/pain-on-the-outside-of-the-knee/", 200),
    "reviewers": ("/reviewers/", 200),
    "reviewer": ("/reviewers/sam-okafor/", 200),
    "reviewed-article": ("/it-band-syndrome/", 200),
    "not-found": ("/no-such-page/", 404),
}


def _require(path):
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make node_modules/.installed`.")


def _load_pages():
    """The pages to check, over the demo content, enough more articles for a
    hub's second page (and a search's), enough comments for a second page of
    them, and a comment posted just now (its time has
    microseconds, as readers' comments do) with its no-JavaScript reply page."""
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    hub = Category.objects.get(slug="running-injuries")
    ArticleFactory.create_batch(
        settings.HUB_PAGE_SIZE, category=hub, published_at=timezone.now() - timedelta(days=400)
    )
    article = Article.objects.get(slug="runners-knee")
    # A second page of comments, to check its pager (the one every list uses).
    CommentFactory.create_batch(
        settings.COMMENTS_PER_PAGE, article=article, created_at=timezone.now() - timedelta(days=300)
    )
    comment = CommentFactory(article=article, website="")
    cited = _article_with_references(hub)
    return {
        **PAGES,
        "reply": (reverse("comments:reply", args=[comment.pk]), 200),
        "article-comments-page-2": (article.get_absolute_url() + "?page=2", 200),
        "article-with-references": (cited.get_absolute_url(), 200),
        "article-helpful-thanks": (article.get_absolute_url() + "?helpful=thanks", 200),
    }


def _article_with_references(hub):
    """An article citing three references (one twice), with a table of header cells."""
    article = ArticleFactory(
        category=hub,
        title="Iliotibial band syndrome, with sources",
        slug="itbs-with-sources",
        body=(
            "<p>Pain on the outside of the knee is the usual sign [ref 1]. Weak hip abductors"
            " are often found [ref 2], though not in every study [ref 1].</p>"
            "<h2>Return to running</h2>"
            "<table><caption>A gradual return</caption>"
            '<thead><tr><th scope="col">Week</th><th scope="col">Running</th></tr></thead>'
            '<tbody><tr><th scope="row">1</th><td>3 × 5 minutes</td></tr>'
            '<tr><th scope="row">2</th><td>3 × 10 minutes [ref 3]</td></tr></tbody></table>'
        ),
    )
    Reference.objects.create(
        article=article,
        number=1,
        citation="Fairclough J, et al. The functional anatomy of the iliotibial band. 2006.",
        url="https://journals.example/itb-anatomy",
        accessed_on=timezone.localdate(),
    )
    Reference.objects.create(
        article=article, number=2, citation="Fredericson M. Hip abductor weakness."
    )
    Reference.objects.create(article=article, number=3, citation="A clinic's return-to-run plan.")
    return article


def _describe_axe(page_name, violation):
    lines = [f"{page_name}: {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
        lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def test_axe_finds_no_accessibility_violation_on_reader_pages(live_server, browser):
    _require(AXE)
    pages = _load_pages()
    problems = []
    # A desktop screen and a phone: the layout (and so contrast, overlap) differs.
    for width, height in [(1280, 900), (390, 844)]:
        # Reader pages allow no script at all (CSP); axe is injected by the test.
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            for name, (path, status) in pages.items():
                response = page.goto(live_server.url + path)
                assert response.status == status, f"{name} ({path}) answered {response.status}"
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']}))"
                    ".violations"
                )
                problems += [_describe_axe(f"{name} at {width}px", v) for v in violations]
        finally:
            context.close()
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_nu_html_checker_finds_no_error_on_reader_pages(client, tmp_path):
    _require(VNU)
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not on PATH: the Nu HTML checker (vnu.jar) needs Java 11 or newer.")
    files = []
    for name, (path, status) in _load_pages().items():
        response = client.get(path)
        assert response.status_code == status, f"{name} ({path}) answered {response.status_code}"
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(file)
    # One JVM for every page: vnu takes seconds to start.
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "The Nu HTML checker found errors:\n" + "\n".join(errors)


def test_chromium_gives_each_read_more_link_its_article_s_name(live_server, page):
    hub = CategoryFactory()
    articles = [ArticleFactory(category=hub, title=f"Shin pain, part {n}") for n in range(10)]
    page.goto(live_server.url + hub.get_absolute_url())
    listing = page.locator("main")
    assert listing.get_by_role("link", name="Read More").count() == 10
    for article in articles:
        # The accessible name as Chromium computes it: the visible "Read More" first (WCAG
        # 2.5.3), then the title, which only assistive technology is given.
        link = listing.get_by_role("link", name=f"Read More about {article.title}", exact=True)
        assert link.count() == 1
        assert link.get_attribute("href") == article.get_absolute_url()
        hidden = link.locator(".visually-hidden").bounding_box()
        assert hidden["width"] <= 1
        assert hidden["height"] <= 1
