import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.views import server_error
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def main_content(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


def test_a_published_article_is_shown_to_readers(client):
    article = ArticleFactory(title="Shin Splints")
    response = client.get(page_url(article))
    assertContains(response, "<h1>Shin Splints</h1>", html=True)


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_drafts_and_future_articles_answer_404_to_readers(client, trait):
    article = ArticleFactory(**{trait: True})
    assert client.get(page_url(article)).status_code == 404


def test_an_unknown_slug_answers_404_in_the_site_layout(client):
    response = client.get(reverse("articles:page", kwargs={"slug": "no-such-page"}))
    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, "Recent Articles", status_code=404)


def test_old_html_addresses_move_permanently_to_the_new_address(client):
    article = ArticleFactory(slug="runners-knee")
    response = client.get("/runners-knee.html")
    assertRedirects(response, page_url(article), status_code=301)


def test_the_article_page_keeps_the_source_page_block_order(client):
    category = CategoryFactory(title="Are You Prone to Running Injuries?")
    article = ArticleFactory(
        title="Runner's Knee",
        category=category,
        body='<p>Intro.</p><p class="note">NOTE: see IT band.</p><h2>Causes</h2><p>More.</p>',
    )
    html = client.get(page_url(article)).content.decode()
    markers = [
        "<h1>Runner&#x27;s Knee</h1>",
        "<p>Intro.</p>",
        '<p class="note">',
        '<h2 id="causes">Causes</h2>',
        "Back to top of Runner&#x27;s Knee",
        "Return to Are You Prone to Running Injuries?",
        'id="comments"',
        "Recent Articles",
        "<footer",
    ]
    positions = [html.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_back_to_top_jumps_to_the_top_and_return_to_links_the_hub(client):
    article = ArticleFactory()
    response = client.get(page_url(article))
    assertContains(response, f'<a href="#top">Back to top of {article.title}</a>', html=True)
    assertContains(
        response,
        f'<a href="{page_url(article.category)}">Return to {article.category.title}</a>',
        html=True,
    )
    assertContains(response, 'id="top"')


def test_a_hub_lists_only_its_published_articles_with_excerpts(client):
    hub = CategoryFactory(title="Knee injuries", intro="<p>All about knees.</p>")
    ArticleFactory(category=hub, title="Visible one", excerpt="Seen by readers.")
    ArticleFactory(category=hub, title="Draft one", draft=True)
    ArticleFactory(category=hub, title="Future one", scheduled=True)
    ArticleFactory(title="Other hub's article")
    response = client.get(page_url(hub))
    assertContains(response, "<h1>Knee injuries</h1>", html=True)
    main = main_content(response)
    assert "All about knees." in main
    assert "Visible one" in main
    assert "Seen by readers." in main
    for hidden in ["Draft one", "Future one", "Other hub&#x27;s article"]:
        assert hidden not in main
    assertNotContains(response, "Draft one")


def test_the_home_page_shows_categories_with_their_published_articles(client):
    hub = CategoryFactory(title="Foot pain")
    ArticleFactory(category=hub, title="Plantar fasciitis")
    ArticleFactory(category=hub, title="Not yet", draft=True)
    response = client.get(reverse("articles:home"))
    assertContains(response, "Foot pain")
    assertContains(response, "Plantar fasciitis")
    assertNotContains(response, "Not yet")


def recent_titles(response):
    html = response.content.decode()
    section = html[html.index('id="recent-articles-heading"') :]
    return re.findall(r'class="summary-title"><a href="[^"]+">([^<]+)</a>', section)


def test_recent_articles_lists_the_ten_newest_published_articles_newest_first(client):
    now = timezone.now()
    for hours in range(1, 13):
        ArticleFactory(title=f"Published {hours}h ago", published_at=now - timedelta(hours=hours))
    ArticleFactory(title="A draft", draft=True)
    ArticleFactory(title="Tomorrow", scheduled=True)
    response = client.get(reverse("articles:home"))
    assert recent_titles(response) == [f"Published {hours}h ago" for hours in range(1, 11)]


def test_recent_articles_shows_the_time_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "America/New_York"
    ArticleFactory(
        title="Waterproof shoes",
        published_at=datetime(2025, 2, 26, 17, 30, tzinfo=ZoneInfo("UTC")),
    )
    response = client.get(reverse("articles:home"))
    assertContains(response, "Feb 26, 25 12:30 PM")


def test_recent_articles_shows_thumbnail_alt_text_excerpt_and_read_more(client):
    article = ArticleFactory(
        with_image=True, image_alt="Runner on a snowy trail", excerpt="Dry feet."
    )
    response = client.get(reverse("articles:home"))
    recent = response.content.decode().split('id="recent-articles-heading"')[1]
    assert f'src="{article.thumbnail.url}"' in recent
    assert 'width="160" height="120"' in recent
    assertContains(response, 'alt="Runner on a snowy trail"')
    assertContains(response, '<p class="summary-text">Dry feet.</p>', html=True)
    assertContains(
        response,
        f'<a href="{page_url(article)}">Read More'
        f'<span class="visually-hidden"> about {article.title}</span></a>',
        html=True,
    )


def test_an_article_without_image_or_excerpt_shows_no_empty_placeholder(client):
    ArticleFactory(title="Bare entry", body="", excerpt="")
    html = client.get(reverse("articles:home")).content.decode()
    entry = html[html.index("Bare entry") :]
    entry = entry[: entry.index("</article>")]
    assert "<img" not in entry
    assert "summary-text" not in entry
    assert "Read More" in entry


def test_pages_are_semantic_and_load_nothing_from_other_hosts(client):
    article = ArticleFactory()
    html = client.get(page_url(article)).content.decode()
    assert '<html lang="en">' in html
    assert 'class="skip-link" href="#content"' in html
    for tag in ["<header", "<nav", "<main", "<article", "<aside", "<footer"]:
        assert tag in html
    # Absolute addresses (canonical link, feed link) are on the site itself.
    for address in re.findall(r'(?:src|href|srcset|content)="((?:https?:)?//[^"]*)"', html):
        assert address.startswith("http://testserver/"), address
    # Scripts are our own files or data for search engines (JSON-LD); none is inline code.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or tag == '<script type="application/ld+json">', tag


def test_listing_pages_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    hub = CategoryFactory()
    ArticleFactory.create_batch(15, category=hub)
    for url in [reverse("articles:home"), page_url(hub), page_url(hub.articles.first())]:
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_the_500_page_renders_in_the_site_frame_without_the_database(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"<header" in response.content


def link_names(html, href_suffix=""):
    """(href, accessible name) of every link: links carry no aria-label, so
    the name is the link's whole text, visually hidden parts included."""

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.open = [], []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                assert "aria-label" not in dict(attrs)
                self.open.append([dict(attrs).get("href", ""), ""])

        def handle_data(self, data):
            for link in self.open:
                link[1] += data

        def handle_endtag(self, tag):
            if tag == "a":
                href, text = self.open.pop()
                self.links.append((href, " ".join(text.split())))

    parser = Links()
    parser.feed(html)
    return [(href, name) for href, name in parser.links if href.endswith(href_suffix)]


@pytest.mark.parametrize("where", ["home", "hub", "search"])
def test_each_read_more_and_comments_link_names_its_own_article(client, where):
    hub = CategoryFactory()
    articles = [ArticleFactory(category=hub, title=f"Knee pain, part {n}") for n in range(10)]
    url = {
        "home": reverse("articles:home"),
        "hub": page_url(hub),
        "search": reverse("articles:search") + "?q=knee",
    }[where]
    links = link_names(client.get(url).content.decode())
    read_more = [(href, name) for href, name in links if name.startswith("Read More")]
    # The visible text stays "Read More"; the name adds the title (WCAG 2.5.3: label in name).
    # A name may repeat (Recent Articles beside the list) but only for the same article.
    assert set(read_more) == {(page_url(a), f"Read More about {a.title}") for a in articles}
    if where == "hub":
        comments = {(h, n) for h, n in links if h.endswith("#comments")}
        assert comments == {
            (f"{page_url(a)}#comments", f"No comments yet on {a.title}") for a in articles
        }


def test_read_more_keeps_its_visible_text_and_hides_the_title_from_sight_only(client):
    article = ArticleFactory(title="Shin Splints")
    response = client.get(reverse("articles:home"))
    assertContains(
        response,
        f'<p class="summary-more"><a href="{page_url(article)}">Read More'
        '<span class="visually-hidden"> about Shin Splints</span></a></p>',
        html=True,
    )


def test_favicon_ico_is_a_real_icon_and_every_page_links_one(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]
    # A second request is not a stored page with the page cache's short lifetime.
    again = client.get("/favicon.ico")
    assert again["X-Page-Cache"] == "bypass"
    assert again["Cache-Control"] == "public, max-age=86400"
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405
    article = ArticleFactory()
    for url in [
        reverse("articles:home"),
        page_url(article.category),
        page_url(article),
        reverse("articles:search"),
        "/no-such-page/",
    ]:
        html = client.get(url).content.decode()
        hrefs = re.findall(r'<link rel="icon" href="([^"]+)"', html)
        assert hrefs == ["/static/favicon.ico"], url
        assert client.get(hrefs[0]).status_code == 200


def test_favicon_ico_is_reserved_as_a_slug():
    category = CategoryFactory.build(slug="favicon.ico")
    with pytest.raises(ValidationError, match="reserved"):
        category.clean()


def test_listing_times_are_valid_html_datetimes_without_fractions_of_a_second(client):
    """An article saved with the default publish time (now) has microseconds;
    HTML allows at most three digits of a second in <time datetime>."""
    # A second back, so the replaced microseconds never put it in the future.
    published_at = (timezone.now() - timedelta(seconds=1)).replace(microsecond=123456)
    article = ArticleFactory(published_at=published_at)
    html = client.get(page_url(article.category)).content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp
        assert datetime.fromisoformat(stamp) == article.published_at.replace(microsecond=0)
