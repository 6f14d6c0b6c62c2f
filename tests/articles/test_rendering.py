"""An article body is read once, when it is saved, by a real HTML parser
(core.markup through articles.rendering): what pages show comes from what
that save stored."""

import pytest
from django.urls import reverse

from affiliates.models import ArticleAffiliateLink
from tests.factories import AffiliateLinkFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def page_url(article):
    return reverse("articles:page", kwargs={"slug": article.slug})


def main_content(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_table_of_contents_comes_from_the_save_not_from_the_body_column(client):
    article = ArticleFactory(
        toc_enabled=True, body="<p>Intro.</p><h2>Causes</h2><h3>Hips &amp; knees</h3>"
    )
    assert article.headings == [[2, "causes", "Causes"], [3, "hips-knees", "Hips & knees"]]
    html = main_content(client.get(page_url(article)))
    assert '<a href="#hips-knees">Hips &amp; knees</a>' in html


def test_a_link_whose_title_holds_a_bracket_is_still_rewritten_and_recorded(client):
    link = AffiliateLinkFactory(slug="knee-strap")
    article = ArticleFactory(
        body='<p>Try <a title="knee > hip" href="/go/knee-strap/">a strap</a>.</p>'
    )
    assert list(ArticleAffiliateLink.objects.values_list("link", "placement")) == [
        (link.pk, "body")
    ]
    html = main_content(client.get(page_url(article)))
    assert (
        f'<a title="knee &gt; hip" href="/go/knee-strap/?from={article.slug}" '
        'rel="sponsored nofollow noopener">a strap</a>'
    ) in html


def test_a_banner_after_a_note_in_the_intro_follows_the_note_and_the_links_before_it(client):
    banner = AffiliateLinkFactory(banner=True, slug="outlet")
    AffiliateLinkFactory(slug="sleeve")
    article = ArticleFactory(
        banner_after_intro=banner,
        body='<p>Intro with <a href="/go/sleeve/">a sleeve</a>.</p><p class="note">Note.</p>'
        "<p>More intro.</p><h2>Causes</h2>",
    )
    html = main_content(client.get(page_url(article)))
    assert html.index("a sleeve</a> <span") < html.index("Note.</p>")
    assert html.index("Note.</p>") < html.index("affiliate-banner") < html.index("More intro.")
