"""Find your injury: /find/, a region's page and a symptom's page."""

import html
import re
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, BodyRegion, Symptom
from articles.taxonomy import tag_article
from tests.factories import (
    ARTICLE_INLINES,
    ArticleFactory,
    BodyRegionFactory,
    CategoryFactory,
    ReviewerFactory,
    SymptomFactory,
    create_archive,
)
from tests.security.hostile import ATTRIBUTE_BREAKOUTS, EVENT_HANDLERS, SCRIPT_TAGS

pytestmark = pytest.mark.django_db


def main_content(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def listed_titles(response):
    """The article titles a listing shows, in order."""
    found = re.findall(r'class="summary-title"><a href="[^"]+">([^<]+)</a>', main_content(response))
    return [html.unescape(title) for title in found]


@pytest.fixture
def knee():
    region = BodyRegionFactory(name="knee", slug="knee", position=1)
    outside = SymptomFactory(
        region=region, name="pain on the outside of the knee", slug="outside", position=1
    )
    behind = SymptomFactory(
        region=region, name="pain behind the kneecap", slug="behind", position=2
    )
    return region, outside, behind


def test_find_lists_every_region_with_its_symptoms_as_plain_links(client, knee):
    region, outside, behind = knee
    BodyRegionFactory(name="heel", slug="heel", position=2)
    tag_article(article=ArticleFactory(title="IT band"), symptoms=[outside])
    response = client.get(reverse("articles:find"))
    main = main_content(response)
    assert "<h1>Find your injury</h1>" in main
    assert f'<a href="{region.get_absolute_url()}">Knee</a>' in main
    assert f'<a href="{outside.get_absolute_url()}">Pain on the outside of the knee</a>' in main
    assert f'<a href="{behind.get_absolute_url()}">Pain behind the kneecap</a>' in main
    assert main.index(">Knee<") < main.index(">Heel<")
    assert "1 article<" in main
    assert "0 articles<" in main
    assert "<script" not in main
    assert "<form" not in main


def test_the_home_page_and_every_hub_link_to_find(client):
    hubs = [CategoryFactory(), CategoryFactory()]
    find = reverse("articles:find")
    assertContains(client.get(reverse("articles:home")), f'href="{find}">Find your injury</a>')
    for hub in hubs:
        assertContains(client.get(hub.get_absolute_url()), f'href="{find}">Find your injury</a>')


def test_a_region_page_shows_its_symptoms_and_the_published_articles_concerning_it(client, knee):
    region, outside, behind = knee
    heel = BodyRegionFactory(name="heel", slug="heel")
    by_region = ArticleFactory(title="Knee basics")
    tag_article(article=by_region, symptoms=[], regions=[region])
    by_symptom = ArticleFactory(title="IT band")
    tag_article(article=by_symptom, symptoms=[outside])
    tag_article(article=ArticleFactory(title="Heel pain"), symptoms=[], regions=[heel])
    tag_article(article=ArticleFactory(title="Unfinished", draft=True), symptoms=[outside])
    tag_article(article=ArticleFactory(title="Not yet", scheduled=True), symptoms=[behind])
    ArticleFactory(title="Untagged")
    response = client.get(region.get_absolute_url())
    main = main_content(response)
    assert "<h1>Pain around the knee</h1>" in main
    assert main.index("Pain on the outside of the knee") < main.index("Pain behind the kneecap")
    assert sorted(listed_titles(response)) == ["IT band", "Knee basics"]


def test_a_symptom_page_lists_the_articles_explaining_it_best_match_first(client, knee):
    region, outside, behind = knee
    now = timezone.now()
    overview = ArticleFactory(title="Every knee pain", published_at=now - timedelta(hours=1))
    tag_article(article=overview, symptoms=[outside, behind])
    focused_old = ArticleFactory(title="IT band syndrome", published_at=now - timedelta(days=30))
    tag_article(article=focused_old, symptoms=[outside])
    focused_new = ArticleFactory(title="IT band update", published_at=now - timedelta(days=2))
    tag_article(article=focused_new, symptoms=[outside])
    tag_article(article=ArticleFactory(title="Runner's knee"), symptoms=[behind])
    response = client.get(outside.get_absolute_url())
    main = main_content(response)
    assert "<h1>Pain on the outside of the knee</h1>" in main
    # The articles about this symptom alone first, newest first among them.
    assert listed_titles(response) == ["IT band update", "IT band syndrome", "Every knee pain"]
    # The way back, and the region's other symptoms.
    assert f'<a href="{reverse("articles:find")}">Find your injury</a>' in main
    assert f'<a href="{region.get_absolute_url()}">Knee</a>' in main
    assert f'<a href="{behind.get_absolute_url()}">Pain behind the kneecap</a>' in main


@pytest.mark.parametrize(
    "path",
    [
        "/find/elbow/",
        "/find/knee/no-such-symptom/",
        "/find/heel/outside/",  # a symptom of the knee, under the wrong region
        "/find/knee/outside/?page=9",
        "/find/knee/?page=x",
    ],
)
def test_addresses_that_name_no_region_or_symptom_answer_404(client, knee, path):
    BodyRegionFactory(name="heel", slug="heel")
    assert client.get(path).status_code == 404


def test_an_article_links_other_injuries_around_each_of_its_regions(client, knee):
    region, outside, _ = knee
    hip = BodyRegionFactory(name="hip", slug="hip", position=2)
    article = ArticleFactory()
    tag_article(article=article, symptoms=[outside], regions=[hip])
    main = main_content(client.get(article.get_absolute_url()))
    assert (
        f'<a href="{region.get_absolute_url()}">Other injuries with pain around the knee</a>'
        in main
    )
    assert f'<a href="{hip.get_absolute_url()}">Other injuries with pain around the hip</a>' in main
    assert main.index("around the knee") < main.index("around the hip")
    untagged = ArticleFactory()
    assertNotContains(client.get(untagged.get_absolute_url()), "Other injuries with pain")


def test_tagging_a_symptom_tags_its_region_too(knee):
    region, outside, _ = knee
    article = ArticleFactory()
    tag_article(article=article, symptoms=[outside])
    assert list(article.regions.all()) == [region]


def _build_taxonomy(*, regions, symptoms_each, articles):
    """`regions` regions of `symptoms_each` symptoms, and `articles` articles
    each tagged with two symptoms of the first region, the demo-like case."""
    hub = create_archive(articles=articles, categories=2)[0]
    made = []
    for number in range(regions):
        region = BodyRegionFactory(name=f"area {number}", slug=f"area-{number}", position=number)
        made.append(
            [
                SymptomFactory(region=region, name=f"ache {number}.{i}", slug=f"ache-{i}")
                for i in range(symptoms_each)
            ]
        )
    first = made[0]
    through = Article.symptoms.through
    region_through = Article.regions.through
    ids = list(Article.objects.values_list("pk", flat=True))
    through.objects.bulk_create(
        [through(article_id=pk, symptom=first[i % 2]) for i, pk in enumerate(ids)]
        + [through(article_id=pk, symptom=first[2]) for pk in ids[::3]]
    )
    region_through.objects.bulk_create(
        [region_through(article_id=pk, bodyregion=first[0].region) for pk in ids]
    )
    return hub, first


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_find_pages_cost_the_same_queries_whatever_the_number_of_articles_and_symptoms(
    client, settings
):
    """Page and fragment caches off: the worst case, every query really run."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    budgets = {"find": 4, "region": 5, "symptom": 5, "article": 4}
    counts = []
    for size, (regions, symptoms, articles) in enumerate([(2, 3, 12), (9, 12, 600)]):
        Article.objects.all().delete()
        Symptom.objects.all().delete()
        BodyRegion.objects.all().delete()
        _, symptoms_made = _build_taxonomy(
            regions=regions, symptoms_each=symptoms, articles=articles
        )
        tagged = Article.objects.published().filter(symptoms=symptoms_made[2]).first()
        urls = {
            "find": reverse("articles:find"),
            "region": symptoms_made[0].region.get_absolute_url(),
            "symptom": symptoms_made[0].get_absolute_url(),
            "article": tagged.get_absolute_url(),
        }
        measured = {name: _queries(client, url) for name, url in urls.items()}
        for name, count in measured.items():
            assert count <= budgets[name], f"{name}: {count} queries at size {size}"
        counts.append(measured)
    print("queries per page, small and large taxonomy:", counts)
    assert counts[0] == counts[1]


def test_find_pages_are_in_the_sitemap(client, knee):
    region, outside, behind = knee
    xml = client.get(reverse("articles:sitemap")).content.decode()
    for path in [
        reverse("articles:find"),
        region.get_absolute_url(),
        outside.get_absolute_url(),
        behind.get_absolute_url(),
    ]:
        assert f"<loc>http://testserver{path}</loc>" in xml


def test_without_regions_the_sitemap_lists_no_find_page(client):
    assert "/find/" not in client.get(reverse("articles:sitemap")).content.decode()


@pytest.mark.parametrize("slug", ["find", "reviewers"])
def test_no_article_or_category_may_take_the_navigators_addresses(slug):
    article = ArticleFactory.build(slug=slug, category=CategoryFactory())
    with pytest.raises(ValidationError, match="reserved"):
        article.full_clean()
    with pytest.raises(ValidationError, match="reserved"):
        CategoryFactory.build(slug=slug).full_clean()


def test_cached_find_pages_follow_every_change_of_the_taxonomy_and_tags(client, knee):
    region, outside, _ = knee
    url = outside.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    article = ArticleFactory(title="IT band syndrome")
    tag_article(article=article, symptoms=[outside])
    assert listed_titles(client.get(url)) == ["IT band syndrome"]
    outside.name = "a sharp pain outside the knee"
    outside.save()
    assertContains(client.get(url), "<h1>A sharp pain outside the knee</h1>", html=True)
    assertContains(client.get(article.get_absolute_url()), "around the knee")
    region.name = "knee joint"
    region.save()
    assertContains(client.get(article.get_absolute_url()), "around the knee joint")
    tag_article(article=article, symptoms=[])
    assert listed_titles(client.get(url)) == []


def test_the_demo_leads_from_each_knee_symptom_to_its_article(client):
    call_command("load_demo", stdout=StringIO())
    outside = Symptom.objects.get(region__slug="knee", name="pain on the outside of the knee")
    behind = Symptom.objects.get(region__slug="knee", name="pain behind the kneecap")
    assert listed_titles(client.get(outside.get_absolute_url()))[0] == "IT Band Syndrome"
    assert listed_titles(client.get(behind.get_absolute_url()))[0] == "What is Runner's Knee?"
    # Loading it again changes nothing.
    counts = (
        BodyRegion.objects.count(),
        Symptom.objects.count(),
        Article.symptoms.through.objects.count(),
    )
    call_command("load_demo", stdout=StringIO())
    assert counts == (
        BodyRegion.objects.count(),
        Symptom.objects.count(),
        Article.symptoms.through.objects.count(),
    )


def test_an_editor_tags_an_article_in_the_admin_and_the_symptoms_region_follows(admin_client, knee):
    region, outside, behind = knee
    article = ArticleFactory(title="IT band syndrome")
    published_at = timezone.localtime(article.published_at)
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": article.title,
            "slug": article.slug,
            "category": article.category_id,
            "body": article.body,
            "excerpt": "",
            "image_alt": "",
            "status": article.status,
            "published_at_0": published_at.strftime("%Y-%m-%d"),
            "published_at_1": published_at.strftime("%H:%M:%S"),
            "comments_enabled": "on",
            "symptoms": [outside.pk],
            "condition_name": "Iliotibial band syndrome",
            "meta_description": "",
            "change_reason": "",
            **ARTICLE_INLINES,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(article.regions.all()) == [region]
    assert listed_titles(admin_client.get(outside.get_absolute_url())) == ["IT band syndrome"]
    # Signed in: never from the page cache, and the reader's copy follows too.
    admin_client.logout()
    assert listed_titles(admin_client.get(region.get_absolute_url())) == ["IT band syndrome"]


class _Elements(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def injected(page_html):
    """Elements the hostile names could have put on the page: scripts other
    than the structured data and our static files, event handlers, and
    anything carrying the payloads' "pwned" marker."""
    parser = _Elements()
    parser.feed(page_html)
    bad = []
    for tag, attrs in parser.found:
        own_script = attrs.get("type") == "application/ld+json" or (
            attrs.get("src") or ""
        ).startswith("/static/")
        marked = "pwned" in (attrs.get("id") or "") + (attrs.get("class") or "")
        handlers = any(name.startswith("on") or name == "data-pwned" for name in attrs)
        if (tag == "script" and not own_script) or marked or handlers:
            bad.append(tag)
    return bad


def test_the_markup_check_finds_what_it_looks_for():
    assert injected("<p><img src=x onerror=alert('pwned')></p><script>x</script>") == [
        "img",
        "script",
    ]


@pytest.mark.parametrize("text", [*SCRIPT_TAGS[:4], *EVENT_HANDLERS[:4], *ATTRIBUTE_BREAKOUTS[:4]])
def test_names_editors_type_never_become_markup_on_any_page(client, text):
    region = BodyRegionFactory(name=text[:100], slug="knee")
    symptom = SymptomFactory(region=region, name=text[:200], slug="outside")
    reviewer = ReviewerFactory(name=text[:200], credentials=text[:200], biography=text)
    article = ArticleFactory(reviewer=reviewer, reviewed_on=timezone.localdate())
    tag_article(article=article, symptoms=[symptom])
    for url in [
        reverse("articles:find"),
        region.get_absolute_url(),
        symptom.get_absolute_url(),
        article.get_absolute_url(),
        reviewer.get_absolute_url(),
        reverse("articles:reviewers"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert injected(response.content.decode()) == [], url
