"""One pager: a hub's articles, an article's comments and search results are
paged by different rules but drawn by the one partial, in the one markup."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from articles.views import SearchView
from core.paging import newest_first_page, page_url, pager
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory
from tests.security.pages import parse


def pagers(response):
    """Every pager on the page, as (tag, class, label, [(rel, href, text)], position)."""
    found = []
    for element in parse(response.content.decode()).iter():
        classes = (element.attrs.get("class") or "").split()
        if not {"pager", "pagination"} & set(classes):
            continue
        links = [
            (child.attrs["rel"], child.attrs["href"], child.text())
            for child in element.iter()
            if child.tag == "a"
        ]
        spans = [child.text() for child in element.iter() if child.tag == "span"]
        found.append(
            (
                element.tag,
                classes,
                element.attrs.get("aria-label"),
                links,
                spans[0] if spans else None,
            )
        )
    return found


@pytest.mark.django_db
def test_a_hub_its_comments_and_search_results_share_one_pager_markup(client, settings):
    settings.HUB_PAGE_SIZE = 2
    settings.COMMENTS_PER_PAGE = 2
    hub = CategoryFactory(title="Knee injuries", slug="knee-injuries")
    start = timezone.now() - timedelta(days=10)
    articles = [
        ArticleFactory(category=hub, published_at=start + timedelta(days=n)) for n in range(5)
    ]
    # Three pages of search results (the page size is read when the view is defined).
    ArticleFactory.create_batch(
        2 * SearchView.paginate_by + 1, body="<p>Hamstring strain and recovery.</p>"
    )
    article = articles[-1]
    for n in range(5):
        CommentFactory(article=article, created_at=start + timedelta(hours=n))

    hub_page = pagers(client.get(hub.get_absolute_url(), {"page": 2}))
    comment_page = pagers(client.get(article.get_absolute_url(), {"page": 2}))
    search_page = pagers(client.get(reverse("articles:search"), {"q": "hamstring", "page": 2}))

    assert hub_page == [
        (
            "nav",
            ["pager"],
            "More articles in Knee injuries",
            [("prev", "/knee-injuries/", "Newer articles"), ("next", "?page=3", "Older articles")],
            None,
        )
    ]
    assert comment_page == [
        (
            "nav",
            ["pager"],
            "More comments",
            [
                ("prev", f"{article.get_absolute_url()}#comments-heading", "Newer comments"),
                ("next", "?page=3#comments-heading", "Older comments"),
            ],
            None,
        )
    ]
    assert search_page == [
        (
            "nav",
            ["pager"],
            "Search result pages",
            [("prev", "?q=hamstring", "Previous"), ("next", "?q=hamstring&page=3", "Next")],
            "Page 2 of 3",
        )
    ]


def test_only_the_named_parameters_are_kept_in_page_addresses():
    assert page_url(1, url="/knee/") == "/knee/"
    assert page_url(3, url="/knee/") == "?page=3"
    assert page_url(1, url="/search/", params={"q": "runner's knee"}) == "?q=runner%27s+knee"
    assert page_url(2, url="/a/", fragment="#comments") == "?page=2#comments"


@pytest.mark.parametrize(
    ("number", "previous", "following"),
    [(1, None, "?page=2"), (2, "/list/", "?page=3"), (3, "?page=2", None)],
)
def test_counted_and_uncounted_pages_give_the_same_links(number, previous, following):
    items = list(range(5))
    counted = Paginator(items, 2).page(number)
    uncounted = newest_first_page(items, number=number, size=2)
    for page in (counted, uncounted):
        links = pager(page, url="/list/", label="More", previous_text="Back", next_text="On")
        assert (links.previous and links.previous.url) == previous
        assert (links.next and links.next.url) == following
    assert list(uncounted.object_list) == list(counted.object_list)


def test_a_single_page_has_no_pager():
    page = newest_first_page([1, 2], number=1, size=5)
    assert not pager(page, url="/list/", label="More", previous_text="Back", next_text="On")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "9" * 40, "0", "-1", "1.5", ""])
def test_a_page_number_that_is_not_a_plain_page_is_never_an_error(client, value):
    """Unicode digits (which str.isdigit accepts), numbers too large for any
    database and other non-pages: a 404 on hubs and comment pages; search
    shows its first page (Django's Paginator), as before."""
    article = ArticleFactory()
    CommentFactory(article=article)
    for url in [
        f"{article.category.get_absolute_url()}?page={value}",
        f"{article.get_absolute_url()}?page={value}",
    ]:
        assert client.get(url).status_code == 404, url
    search = client.get(f"{reverse('articles:search')}?q=article&page={value}")
    assert search.status_code == 200
