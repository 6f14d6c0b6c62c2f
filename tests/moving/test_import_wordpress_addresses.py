"""After import_wordpress, every old permalink of a public post, page or
category answers one 301 to its new address, and Disqus threads named by
their WordPress address find the article."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import call_command

from articles.redirects import save_redirect
from comments.models import Comment
from tests.comments.disqus_files import post, thread, write_export
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

SITE = Path(__file__).parent / "data" / "wordpress" / "site.xml"


@pytest.fixture
def imported():
    call_command("import_wordpress", str(SITE), stdout=StringIO())


def one_hop(client, address):
    response = client.get(address)
    assert response.status_code == 301, address
    assert client.get(response["Location"]).status_code == 200, address
    return response["Location"]


@pytest.mark.parametrize(
    "address",
    [
        "/?p=12",
        "/?p=12&utm_source=newsletter",
        "/2019/05/runners-knee/",
        "/2019/05/14/runners-knee/",
        "/2019/05/14/runners-knee",
        "https://old-running.example/2019/05/14/Runners-Knee/",
    ],
)
def test_every_permalink_of_a_post_answers_301_to_its_article(client, imported, address):
    assert one_hop(client, address) == "/runners-knee/"


def test_pages_categories_and_moved_slugs_answer_301_too(client, imported):
    assert one_hop(client, "/?page_id=20") == "/about/"
    assert one_hop(client, "/?p=20") == "/about/"
    assert one_hop(client, "/?p=14") == "/it-band-syndrome/"
    assert one_hop(client, "/2019/06/it-band-syndrome/") == "/it-band-syndrome/"
    assert one_hop(client, "/category/injuries/knee/") == "/knee/"
    assert one_hop(client, "/category/knee/") == "/knee/"
    assert one_hop(client, "/?cat=4") == "/knee/"
    assert one_hop(client, "/2019/09/search/") == "/search-2/"
    # /search/ stays the site's search page: a redirect there would never answer.
    assert client.get("/search/").status_code == 200


def test_items_that_were_not_public_on_wordpress_get_no_redirect(client, imported):
    for address in (
        "/?p=15",
        "/?p=16",
        "/2019/07/training-log/",
        "/?p=17",
        "/2018/01/thrown-away/",
    ):
        response = client.get(address)
        assert response.status_code != 301, address


def test_a_disqus_thread_with_a_wordpress_address_finds_the_imported_article(imported, tmp_path):
    export = write_export(
        tmp_path / "disqus.xml",
        thread("t1", "https://old-running.example/?p=12"),
        thread("t2", "https://old-running.example/?page_id=20&utm_source=feed"),
        thread(
            "t3",
            "https://old-running.example/a-page",
            identifier="14 https://old-running.example/?p=14",
        ),
        post("9001", "t1", message="<p>From Disqus, on the knee.</p>", email="d1@example.com"),
        post("9002", "t2", message="<p>From Disqus, about the site.</p>", email="d2@example.com"),
        post("9003", "t3", message="<p>From Disqus, on the IT band.</p>", email="d3@example.com"),
    )

    call_command("import_disqus", str(export), stdout=StringIO())

    placed = dict(
        Comment.objects.filter(disqus_id__in=["9001", "9002", "9003"]).values_list(
            "disqus_id", "article__slug"
        )
    )
    assert placed == {"9001": "runners-knee", "9002": "about", "9003": "it-band-syndrome"}


def test_wordpress_comment_ids_never_meet_disqus_ids(tmp_path):
    """A Disqus post numbered 101, imported first, is not taken for WordPress comment 101."""
    disqus = CommentFactory(disqus_id="101", text="From Disqus")

    call_command("import_wordpress", str(SITE), stdout=StringIO())

    alice = Comment.objects.get(name="Alice")
    assert alice.disqus_id == "wp-101"
    assert alice.article.slug == "runners-knee"
    assert Comment.objects.get(pk=disqus.pk).text == "From Disqus"


def test_a_redirect_to_an_old_wordpress_address_becomes_one_hop(client):
    save_redirect("/Old-Knee.html", "/?p=12")  # the owner's CSV, written before the import

    call_command("import_wordpress", str(SITE), stdout=StringIO())

    assert Redirect.objects.get(old_path="/old-knee/").new_path == "/runners-knee/"
    assert one_hop(client, "/old-knee.html") == "/runners-knee/"


def test_imported_pages_cost_the_same_queries_as_pages_written_here(
    client, imported, settings, django_assert_max_num_queries
):
    """The budgets of tests/articles/test_query_budgets.py, every cache off:
    an article with its comments 4, a hub 4, and the old address one
    look-up before its 301."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    for url in ("/runners-knee/", "/knee/", "/"):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(1):
        assert client.get("/?p=12").status_code == 301


def test_a_disqus_thread_goes_where_a_reader_of_its_address_lands(client, imported, tmp_path):
    """/old-knee/ shows the article old-knee itself (a redirect row answers
    only where the site says 404), /old-knee.html follows the row: the
    comments of each thread go where its readers land."""
    ArticleFactory(slug="old-knee", title="Old knee")
    save_redirect("/old-knee/", "/runners-knee/")
    export = write_export(
        tmp_path / "disqus.xml",
        thread("t1", "https://old-running.example/old-knee/"),
        thread("t2", "https://old-running.example/old-knee.html"),
        post("9101", "t1", message="<p>On the old knee page.</p>", email="k@example.com"),
        post("9102", "t2", message="<p>On the .html address.</p>", email="k@example.com"),
    )
    assert client.get("/old-knee/").status_code == 200
    assert client.get("/old-knee.html")["Location"] == "/runners-knee/"

    call_command("import_disqus", str(export), stdout=StringIO())

    assert Comment.objects.get(disqus_id="9101").article.slug == "old-knee"
    assert Comment.objects.get(disqus_id="9102").article.slug == "runners-knee"
