"""References: numbered sources an editor cites in the body as [ref N]."""

import json
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Reference
from articles.rendering import render_body
from articles.sanitize import sanitize_html
from tests.factories import ARTICLE_INLINES, ArticleFactory, UserFactory
from tests.security.hostile import ALL as HOSTILE
from tests.security.hostile import IDS as HOSTILE_IDS
from tests.security.hostile import received
from tests.security.pages import find, find_all, parse, unsafe_constructs

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Most runners recover in six weeks [ref 1]. Hip strength matters [ref 2],"
    " and rest alone rarely works [ref 1].</p><h2>References and rest</h2><p>More.</p>"
)


def cited_article(**fields):
    article = ArticleFactory(body=BODY, **fields)
    Reference.objects.create(
        article=article,
        number=1,
        citation="Smith J, Lee K. Iliotibial band syndrome in runners. J Sports Med. 2021.",
        url="https://journal.example/itbs",
        accessed_on=date(2025, 3, 4),
    )
    Reference.objects.create(article=article, number=2, citation="Fredericson M. Hip abductors.")
    return article


def main_of(response):
    html = response.content.decode()
    return parse(html[html.index("<main") : html.index("</main>") + 7])


def test_a_marker_becomes_a_numbered_link_to_its_reference_and_the_body_keeps_the_marker():
    rendered = render_body(BODY)
    assert '<sup class="citation" id="cite-1-1"><a href="#ref-1">[1]</a></sup>' in rendered.html
    assert '<sup class="citation" id="cite-2-1"><a href="#ref-2">[2]</a></sup>' in rendered.html
    assert '<sup class="citation" id="cite-1-2"><a href="#ref-1">[1]</a></sup>' in rendered.html
    assert rendered.citations == [[1, "cite-1-1"], [2, "cite-2-1"], [1, "cite-1-2"]]
    assert "[ref 1]" in rendered.body  # the editor's text is what they typed
    assert "[ref" not in rendered.text  # search and excerpts read the words alone
    assert "six weeks. Hip strength matters, and" in rendered.text


@pytest.mark.parametrize(
    "typed", ["[ref 3]", "[Ref 3]", "[ref&nbsp;3]", "[REF  3]", "[ref3]"], ids=str
)
def test_the_marker_forms_ckeditor_may_leave_all_become_citations(typed):
    assert '<a href="#ref-3">[3]</a>' in render_body(f"<p>Claim {typed}.</p>").html


@pytest.mark.parametrize("typed", ["[ref]", "[ref 0]", "[ref x]", "[reference 2]", "[2]"])
def test_text_that_is_not_a_marker_stays_text(typed):
    rendered = render_body(f"<p>Claim {typed}.</p>")
    assert "citation" not in rendered.html
    assert rendered.citations == []


def test_a_marker_inside_a_link_stays_text_as_a_link_cannot_hold_another():
    rendered = render_body('<p><a href="/knee/">knee [ref 1]</a></p>')
    assert rendered.html == '<p><a href="/knee/">knee [ref 1]</a></p>'


def test_the_page_lists_the_references_in_number_order_with_back_links_to_each_citation(client):
    article = cited_article()
    main = main_of(client.get(article.get_absolute_url()))

    section = find(main, **{"aria-labelledby": "references-heading"})
    assert find(section, id="references-heading").text() == "References"
    items = find_all(section, "li")
    assert [item.attrs["id"] for item in items] == ["ref-1", "ref-2"]
    first, second = items
    assert [a.attrs["href"] for a in find_all(first, "a", "backlink")] == [
        "#cite-1-1",
        "#cite-1-2",
    ]
    assert [a.attrs["href"] for a in find_all(second, "a", "backlink")] == ["#cite-2-1"]
    assert "Iliotibial band syndrome in runners" in first.text()
    assert find(first, href="https://journal.example/itbs") is not None
    assert find(first, datetime="2025-03-04").text() == "Mar 4, 2025"
    # Every back-link and citation lands on an element of the page.
    ids = {element.attrs.get("id") for element in main.iter()}
    for link in find_all(main, "a"):
        href = link.attrs.get("href", "")
        if href.startswith("#") and href != "#top":
            assert href[1:] in ids, href


def test_references_are_listed_by_their_numbers_even_with_gaps(client):
    article = ArticleFactory(body="<p>Claim [ref 5].</p>")
    Reference.objects.create(article=article, number=5, citation="Fifth source.")
    Reference.objects.create(article=article, number=2, citation="Second source.")
    main = main_of(client.get(article.get_absolute_url()))
    items = find_all(find(main, **{"aria-labelledby": "references-heading"}), "li")
    assert [(item.attrs["id"], item.attrs["value"]) for item in items] == [
        ("ref-2", "2"),
        ("ref-5", "5"),
    ]


def test_an_article_without_references_shows_no_references_section(client):
    article = ArticleFactory()
    assertNotContains(client.get(article.get_absolute_url()), "references-heading")


def test_a_heading_never_takes_the_id_of_a_reference_or_citation():
    rendered = render_body("<h2>Ref 1</h2><h2>Cite 1 1</h2><p>[ref 1]</p>")
    assert [entry[1] for entry in rendered.headings] == ["ref-1-2", "cite-1-1-2"]


def test_a_new_reference_shows_at_once_on_a_cached_page(client):
    article = cited_article()
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    Reference.objects.create(article=article, number=3, citation="A third source, added later.")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assertContains(response, "A third source, added later.")


def test_the_structured_data_lists_the_references_as_citations(client):
    article = cited_article()
    html = client.get(article.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    citations = json.loads(block)["citation"]
    assert citations == [
        {
            "@type": "CreativeWork",
            "name": "Smith J, Lee K. Iliotibial band syndrome in runners. J Sports Med. 2021.",
            "url": "https://journal.example/itbs",
        },
        {"@type": "CreativeWork", "name": "Fredericson M. Hip abductors."},
    ]


def test_an_article_without_references_has_no_citation_property(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert '"citation"' not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.example/"])
def test_a_reference_link_must_be_an_http_or_https_address(url):
    reference = Reference(article=ArticleFactory(), number=1, citation="A source.", url=url)
    with pytest.raises(ValidationError) as refused:
        reference.full_clean()
    assert "url" in refused.value.message_dict


@pytest.mark.parametrize("payload", HOSTILE, ids=HOSTILE_IDS)
def test_nothing_an_editor_types_in_a_reference_or_around_a_marker_runs_as_script(client, payload):
    # What reaches the server from a form; the admin's form fields refuse NUL
    # characters (which PostgreSQL cannot store), so none is ever saved.
    payload = received(payload).replace("\x00", "")
    article = ArticleFactory(body=f"<p>{payload} [ref 1] {payload}[ref 2]</p>")
    Reference.objects.create(article=article, number=1, citation=payload)
    # As the admin stores it: validated, so an address it refuses is never stored.
    linked = Reference(article=article, number=2, citation="A source.", url=payload[:500])
    try:
        linked.full_clean()
    except ValidationError:
        linked.url = ""
    linked.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert unsafe_constructs(html) == []


def test_the_sanitiser_keeps_tables_with_header_cells():
    table = (
        "<table><caption>Return to running</caption>"
        '<thead><tr><th scope="col">Week</th><th scope="col">Minutes</th></tr></thead>'
        '<tbody><tr><th scope="row">1</th><td>10</td></tr>'
        '<tr><td colspan="2">Rest if it hurts</td></tr></tbody></table>'
    )
    assert sanitize_html(table) == table


def test_the_sanitiser_keeps_only_plain_values_in_table_attributes():
    cleaned = sanitize_html(
        '<table><tr><th scope="javascript:x" onclick="alert(1)" style="background:url(x)">A</th>'
        '<td colspan="2;x" rowspan="9999" id="x">B</td></tr></table><p>x<sup>2</sup>, H<sub>2</sub>O</p>'
    )
    assert cleaned == (
        "<table><tbody><tr><th>A</th><td>B</td></tr></tbody></table>"
        "<p>x<sup>2</sup>, H<sub>2</sub>O</p>"
    )


def reference_rows(*rows):
    data = {
        "references-TOTAL_FORMS": str(len(rows)),
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
    }
    for index, (number, citation, url) in enumerate(rows):
        data |= {
            f"references-{index}-number": str(number),
            f"references-{index}-citation": citation,
            f"references-{index}-url": url,
            f"references-{index}-accessed_on": "",
        }
    return data


def add_form(category, body, inlines):
    return {
        "title": "IT band syndrome",
        "slug": "it-band-syndrome",
        "category": category.pk,
        "body": body,
        "excerpt": "",
        "image_alt": "",
        "status": "published",
        "published_at_0": "2025-01-01",
        "published_at_1": "10:00:00",
        "meta_description": "Pain on the outside of the knee, and what helps.",
        "author": "",
        **inlines,
    }


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(editor=True))
    return client


def test_an_editor_adds_references_inline_and_the_page_shows_them(editor_client, client):
    category = ArticleFactory().category
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        add_form(
            category,
            "<p>Pain outside the knee [ref 1].</p>",
            reference_rows(
                (1, "Noble CA. Iliotibial band friction syndrome.", "https://a.example/")
            ),
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
    article = Article.objects.get(slug="it-band-syndrome")
    assert list(article.references.values_list("number", "citation")) == [
        (1, "Noble CA. Iliotibial band friction syndrome.")
    ]
    assertContains(client.get(article.get_absolute_url()), "Noble CA. Iliotibial band friction")


def test_the_admin_warns_about_a_citation_without_its_reference(editor_client):
    category = ArticleFactory().category
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        add_form(category, "<p>Claim [ref 1] and [ref 4].</p>", reference_rows((1, "One.", ""))),
        follow=True,
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "The body cites [ref 4] but the article has no reference with that number: add it "
        "under References, or correct the marker."
    ]


def test_two_references_of_one_article_cannot_share_a_number(editor_client):
    category = ArticleFactory().category
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        add_form(category, "<p>[ref 1]</p>", reference_rows((1, "One.", ""), (1, "Also one.", ""))),
    )
    assert response.status_code == 200
    assertContains(response, "Please correct the duplicate data for number")
    assertContains(response, "Also one.")  # nothing the editor typed is lost
    assert not Article.objects.filter(slug="it-band-syndrome").exists()


def test_the_admin_form_without_inline_data_is_what_older_tests_post():
    assert set(ARTICLE_INLINES) == set(reference_rows())
