"""An article save refreshes what it changed, and no more: a correction of
the body, or of anything else only its own page shows, makes stale that
page alone (and the sitemap, which dates each article by its last save),
so the rest of the cache stays warm while editors work; a change shown
elsewhere (title, address, excerpt, status, category...) refreshes every
page at once, as before. Either way no reader is ever served a stale page.

Run on the local-memory cache and on Redis (the `cache_backend` fixture)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.taxonomy import tag_article
from tests.articles.test_page_cache import outcome, page_url
from tests.articles.test_revision_history import change_form
from tests.factories import (
    ArticleFactory,
    BodyRegionFactory,
    CategoryFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Runner's knee is a dull ache around the kneecap.</p>"
    "<h2>Causes</h2><p>It often follows a sudden rise in weekly mileage.</p>"
    "<h2>Recovery</h2><p>Most runners are back to easy running within six weeks.</p>"
)


@pytest.fixture
def site():
    knees, feet = CategoryFactory(title="Knee pain"), CategoryFactory(title="Foot pain")
    article = ArticleFactory(
        category=knees,
        title="Runner's knee",
        body=BODY,
        excerpt="Why the kneecap aches after a long run.",
        meta_description="Why the kneecap aches.",
        # A publish time the admin's form sends back unchanged: no microseconds.
        published_at=timezone.now().replace(microsecond=0) - timedelta(hours=1),
    )
    neighbour = ArticleFactory(category=knees, title="Jumper's knee")
    elsewhere = ArticleFactory(category=feet, title="Plantar fasciitis")
    home, hub = reverse("articles:home"), page_url(knees)
    return {
        "article": article,
        "knees": knees,
        "feet": feet,
        "home": home,
        "hub": hub,
        "own": [page_url(article), page_url(article) + "?page=1"],
        # Every page the article shows on, but its own: listings, Recent
        # Articles of other pages, feeds.
        "others": [
            home,
            hub,
            page_url(feet),
            page_url(neighbour),
            page_url(elsewhere),
            reverse("articles:feed"),
            reverse("articles:category_feed", kwargs={"slug": knees.slug}),
        ],
    }


def cache_all(client, urls):
    for url in urls:
        client.get(url)
        assert outcome(client.get(url)) == "hit", url


def outcomes(client, urls):
    return {url: outcome(client.get(url)) for url in urls}


def text(client, url):
    return client.get(url).content.decode()


def test_a_body_correction_shows_at_once_on_its_page_and_leaves_every_other_page_cached(
    client, cache_backend, site
):
    sitemap = reverse("articles:sitemap")
    cache_all(client, [*site["own"], *site["others"], sitemap])
    article = site["article"]
    article.body = BODY.replace("within six weeks", "within eight weeks")
    article.save()

    page = client.get(site["own"][0])
    assert outcome(page) == "miss"
    assert "within eight weeks" in page.content.decode()
    assert "within six weeks" not in page.content.decode()
    assert outcome(client.get(site["own"][1])) == "miss"
    # The sitemap dates the article by its last save.
    assert outcome(client.get(sitemap)) == "miss"
    assert outcomes(client, site["others"]) == dict.fromkeys(site["others"], "hit")


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("meta_description", "Kneecap pain, explained.", "Kneecap pain, explained."),
        ("updated_on", date(2026, 3, 4), "Updated <time"),
        ("toc_enabled", True, 'id="table-of-contents"'),
        ("condition_name", "Patellofemoral pain syndrome", "Patellofemoral pain syndrome"),
    ],
)
def test_a_change_only_its_page_shows_is_on_that_page_at_once_and_nowhere_else_is_rendered(
    client, cache_backend, site, field, value, shown
):
    if field == "condition_name":
        # Only an injury article (one tagged) names its condition.
        tag_article(article=site["article"], symptoms=[], regions=[BodyRegionFactory()])
    cache_all(client, [*site["own"], *site["others"]])
    setattr(site["article"], field, value)
    site["article"].save()
    page = client.get(site["own"][0])
    assert outcome(page) == "miss"
    assert shown in page.content.decode()
    assert outcomes(client, site["others"]) == dict.fromkeys(site["others"], "hit")


def test_the_sharing_tags_and_structured_data_follow_a_page_only_change(
    client, cache_backend, site, settings
):
    """The page's kept fragments (sharing tags, JSON-LD, body) are kept under
    its page's version too: rendered afresh, the page shows none of the old."""
    settings.PAGE_CACHE_ENABLED = False
    url = site["own"][0]
    assert "Why the kneecap aches." in text(client, url)
    site["article"].meta_description = "Kneecap pain, explained."
    site["article"].body = BODY.replace("dull ache", "nagging ache")
    site["article"].save()
    page = text(client, url)
    assert "Why the kneecap aches." not in page
    assert '<meta property="og:description" content="Kneecap pain, explained.">' in page
    assert '"description": "Kneecap pain, explained."' in page
    assert "nagging ache" in page


def test_an_editors_body_correction_in_the_admin_leaves_the_rest_of_the_site_cached(
    client, cache_backend, site
):
    reader = Client()
    cache_all(reader, [*site["own"], *site["others"]])
    client.force_login(UserFactory(editor=True))
    article = site["article"]
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form(article, body=BODY.replace("within six weeks", "within eight weeks")),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "within eight weeks" in text(reader, site["own"][0])
    assert outcomes(reader, site["others"]) == dict.fromkeys(site["others"], "hit")


# Each change below returns {address: (words it now shows, words it no longer shows)}.
TITLE = "Runner&#x27;s knee"
EXCERPT = "Why the kneecap aches after a long run."


def change_title(site):
    site["article"].title = "Patellofemoral pain"
    site["article"].save()
    return {url: (["Patellofemoral pain"], [TITLE]) for url in site["others"]}


def change_excerpt(site):
    site["article"].excerpt = "A dull ache behind the kneecap, worse on stairs."
    site["article"].save()
    # Listings, feeds and Recent Articles show it; the home page lists titles only.
    shown = (["A dull ache behind the kneecap, worse on stairs."], [EXCERPT])
    return {url: shown for url in site["others"] if url != site["home"]}


def change_opening_of_body_without_excerpt(site):
    """An article without an excerpt is summarised by its body's opening."""
    site["article"].excerpt = ""
    site["article"].save()
    site["article"].body = BODY.replace("a dull ache", "a nagging ache")
    site["article"].save()
    shown = (["knee is a nagging ache"], ["knee is a dull ache"])
    return {url: shown for url in site["others"] if url != site["home"]}


def unpublish(site):
    site["article"].status = Article.Status.DRAFT
    site["article"].save()
    return {url: ([], [TITLE]) for url in site["others"]}


def schedule_for_later(site):
    site["article"].published_at = timezone.now() + timedelta(days=1)
    site["article"].save()
    return {url: ([], [TITLE]) for url in site["others"]}


def publish_a_draft(site):
    draft = ArticleFactory(category=site["knees"], title="Patellar tendinopathy", draft=True)
    draft.status = Article.Status.PUBLISHED
    draft.save()
    return {url: (["Patellar tendinopathy"], []) for url in site["others"]}


def move_to_another_hub(site):
    site["article"].category = site["feet"]
    site["article"].save()
    # Hubs alone count each article's comments (Recent Articles shows it on both).
    listed = f'No comments yet<span class="visually-hidden"> on {TITLE}</span>'
    return {site["hub"]: ([], [listed]), page_url(site["feet"]): ([listed], [])}


def change_address(site):
    site["article"].slug = "patellofemoral-pain"
    site["article"].save()
    old = f'href="{site["own"][0]}"'
    pages = [url for url in site["others"] if "feed" not in url]
    return {url: (['href="/patellofemoral-pain/"'], [old]) for url in pages}


def set_the_reviewer(site):
    site["article"].reviewer = site["reviewer"]
    site["article"].save()
    return {site["reviewer_page"]: ([TITLE], [])}


def close_comments(site):
    site["article"].comments_enabled = False
    site["article"].save()
    return {site["own"][0]: (["Comments are closed."], [])}


@pytest.mark.parametrize(
    "change",
    [
        change_title,
        change_excerpt,
        change_opening_of_body_without_excerpt,
        unpublish,
        schedule_for_later,
        publish_a_draft,
        move_to_another_hub,
        change_address,
        set_the_reviewer,
        close_comments,
    ],
)
def test_a_change_shown_elsewhere_shows_at_once_on_every_page(client, cache_backend, site, change):
    """The home page, hubs, feeds, reviewer profiles and every other
    article's Recent Articles are rendered afresh, and show the change."""
    reviewer = ReviewerFactory(name="Dana Reyes")
    site["reviewer"], site["reviewer_page"] = reviewer, reviewer.get_absolute_url()
    others = [*site["others"], site["reviewer_page"]]
    cache_all(client, [*site["own"], *others])
    expected = change(site)
    assert outcomes(client, others) == dict.fromkeys(others, "miss")
    for url, (shown, gone) in expected.items():
        page = text(client, url)
        for words in shown:
            assert words in page, (url, words)
        for words in gone:
            assert words not in page, (url, words)


def test_an_unpublished_articles_own_page_is_gone_at_once(client, cache_backend, site):
    cache_all(client, site["own"])
    unpublish(site)
    assert client.get(site["own"][0]).status_code == 404


def test_a_renamed_articles_old_address_leads_to_the_new_one_at_once(client, cache_backend, site):
    cache_all(client, site["own"])
    change_address(site)
    response = client.get(site["own"][0])
    assert response.status_code == 301
    assert response["Location"].endswith("/patellofemoral-pain/")


def test_a_drafts_save_still_refreshes_every_page(client, cache_backend, site):
    draft = ArticleFactory(category=site["knees"], draft=True, body=BODY)
    cache_all(client, site["others"])
    draft.body = BODY.replace("within six weeks", "within eight weeks")
    draft.save()
    assert outcomes(client, site["others"]) == dict.fromkeys(site["others"], "miss")


def test_a_bulk_update_of_articles_still_refreshes_every_page(client, cache_backend, site):
    cache_all(client, [*site["own"], *site["others"]])
    Article.objects.filter(pk=site["article"].pk).update(meta_description="Kneecap pain.")
    pages = [*site["own"], *site["others"]]
    assert outcomes(client, pages) == dict.fromkeys(pages, "miss")


def test_tagging_refreshes_the_find_pages_and_tagging_again_the_same_way_changes_nothing(
    client, cache_backend, site
):
    region = BodyRegionFactory(name="knee", slug="knee")
    find = [reverse("articles:find"), region.get_absolute_url()]
    cache_all(client, [*find, *site["others"]])
    tag_article(article=site["article"], symptoms=[], regions=[region])
    assert TITLE in text(client, find[1])
    cache_all(client, [*find, *site["others"]])
    tag_article(article=site["article"], symptoms=[], regions=[region])
    pages = [*find, *site["others"]]
    assert outcomes(client, pages) == dict.fromkeys(pages, "hit")
