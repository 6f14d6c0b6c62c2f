"""“Was this page helpful?”: a yes/no form under each article, with an optional
short comment, counted per article per day, rate-limited per reader address,
and never making the article page uncacheable."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from affiliates.models import AffiliateClick
from articles.feedback import make_token
from articles.models import HelpfulComment, HelpfulDay
from tests.factories import AffiliateLinkFactory, ArticleFactory, UserFactory
from tests.security.pages import find, parse

pytestmark = pytest.mark.django_db

SAME_SITE = "http://testserver"


@pytest.fixture
def answer(client):
    """Send the form the way a reader's browser does, from the article's page."""

    def send(article, helpful="yes", *, comment="", origin=SAME_SITE, ip="203.0.113.7", **extra):
        data = {"helpful": helpful, "comment": comment, "token": make_token(article), **extra}
        headers = {"REMOTE_ADDR": ip}
        if origin:
            headers["HTTP_ORIGIN"] = origin
        return client.post(reverse("articles:helpful", args=[article.slug]), data, **headers)

    return send


def counts(article):
    return list(HelpfulDay.objects.filter(article=article).values_list("day", "yes", "no"))


def test_every_article_has_the_form_and_the_page_stays_cached_without_a_cookie(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert not first.cookies
    form = find(parse(first.content.decode()), **{"class": "helpful-form"})
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == f"/{article.slug}/helpful/"
    assert find(form, name="helpful", value="yes").tag == "button"
    assert find(form, name="helpful", value="no").tag == "button"
    assert find(form, id="helpful-comment").tag == "textarea"
    assert find(form, name="csrfmiddlewaretoken") is None
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_yes_and_a_no_are_counted_for_the_article_today_and_the_reader_is_thanked(client, answer):
    article, other = ArticleFactory(), ArticleFactory()
    response = answer(article, "yes")
    assert response.status_code == 302
    assert response["Location"] == f"/{article.slug}/?helpful=thanks#helpful"
    assert not response.cookies
    answer(article, "no", ip="203.0.113.8")
    answer(article, "yes", ip="203.0.113.9")
    assert counts(article) == [(timezone.localdate(), 2, 1)]
    assert counts(other) == []

    thanked = client.get(response["Location"])
    assertContains(thanked, "Thank you for your answer.")
    assert thanked["X-Page-Cache"] != "hit"
    assertNotContains(client.get(article.get_absolute_url()), "Thank you for your answer.")


def test_the_optional_comment_is_kept_as_plain_text_and_shown_escaped_to_the_owner(
    client, answer, admin_client
):
    article = ArticleFactory()
    answer(article, "no", comment="  <script>alert('pwned')</script> Say more about stairs.\x07 ")
    answer(article, "yes")  # no comment: nothing stored beside the count
    (comment,) = HelpfulComment.objects.all()
    assert comment.text == "<script>alert('pwned')</script> Say more about stairs."
    assert comment.is_helpful is False

    for url in [
        reverse("admin:articles_helpfulcomment_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ]:
        page = admin_client.get(url)
        assertContains(page, "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; Say more")
        assertNotContains(page, "<script>alert(")


def test_a_comment_too_long_is_refused_with_the_text_kept(answer):
    article = ArticleFactory()
    text = "word " * 120
    response = answer(article, "no", comment=text)
    assert response.status_code == 400
    assertContains(response, "Keep your comment to 500 characters", status_code=400)
    assertContains(response, text.strip(), status_code=400)
    assert "no-store" in response["Cache-Control"]
    assert counts(article) == []


@pytest.mark.parametrize("helpful", ["", "maybe", "yes\x00"])
def test_an_answer_that_is_not_yes_or_no_is_refused(answer, helpful):
    article = ArticleFactory()
    response = answer(article, helpful)
    assertContains(response, "Choose Yes or No.", status_code=400)
    assert counts(article) == []


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://testserver.evil.example", "null", None]
)
def test_an_answer_posted_from_another_site_is_refused(client, origin):
    article = ArticleFactory()
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    response = client.post(
        reverse("articles:helpful", args=[article.slug]),
        {"helpful": "yes", "token": make_token(article)},
        **headers,
    )
    assert response.status_code == 403
    assertContains(response, "only from the article's own page", status_code=403)
    assert counts(article) == []


def test_a_token_from_another_articles_form_is_refused(answer):
    article, other = ArticleFactory(), ArticleFactory()
    response = answer(article, "yes", token=make_token(other))
    assertContains(response, "This form is not from this article&#x27;s page.", status_code=400)
    # The form shown again can be sent: it carries this article's own token.
    assertContains(response, f'value="{make_token(article)}"', status_code=400)
    assert counts(article) == counts(other) == []


def test_answers_are_rate_limited_per_reader_address(answer, settings):
    settings.HELPFUL_RATE_LIMIT = 3
    article = ArticleFactory()
    for _ in range(3):
        assert answer(article, "yes").status_code == 302
    refused = answer(article, "no", comment="Kept for later.")
    assert refused.status_code == 429
    assertContains(refused, "Please try again in an hour.", status_code=429)
    assertContains(refused, "Kept for later.</textarea>", status_code=429)
    assert answer(article, "no", ip="198.51.100.4").status_code == 302
    assert counts(article) == [(timezone.localdate(), 3, 1)]


def test_the_rate_limit_counts_the_address_a_trusted_proxy_reports(client, settings):
    settings.HELPFUL_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory()
    url = reverse("articles:helpful", args=[article.slug])
    data = {"helpful": "yes", "token": make_token(article)}

    def send(reader):
        return client.post(
            url,
            data,
            REMOTE_ADDR="10.0.0.2",  # the proxy, the same for every reader
            HTTP_ORIGIN=SAME_SITE,
            HTTP_X_FORWARDED_FOR=f"192.0.2.66, {reader}",
        )

    assert [send(f"198.51.100.{n}").status_code for n in range(3)] == [302, 302, 302]
    assert send("198.51.100.1").status_code == 429
    assert counts(article) == [(timezone.localdate(), 3, 0)]


def test_answers_for_a_draft_or_unknown_article_are_not_found(answer, client):
    draft = ArticleFactory(draft=True)
    assert answer(draft, "yes").status_code == 404
    assert client.post("/no-such-article/helpful/", {"helpful": "yes"}).status_code == 404


def test_opening_the_answer_address_goes_back_to_the_form(client):
    article = ArticleFactory()
    response = client.get(reverse("articles:helpful", args=[article.slug]))
    assert response.status_code == 302
    assert response["Location"] == f"/{article.slug}/#helpful"


def test_the_owner_sees_helpful_counts_next_to_the_articles_affiliate_clicks(answer, admin_client):
    article = ArticleFactory()
    link = AffiliateLinkFactory()
    for _ in range(2):
        AffiliateClick.objects.create(link=link, from_article=article, via="redirect")
    answer(article, "yes")
    answer(article, "no", ip="198.51.100.2", comment="Needs a stretching plan.")
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(
        page,
        '<tr><th scope="row">Last 7 days</th><td>1</td><td>1</td><td>2</td></tr>',
        html=True,
    )
    assertContains(page, "Affiliate clicks")
    assertContains(page, "Needs a stretching plan.")
    daily = admin_client.get(reverse("admin:articles_helpfulday_changelist"))
    assertContains(daily, article.title)


def test_editors_do_not_see_the_readers_comments_list(client):
    client.force_login(UserFactory(editor=True))
    assert client.get(reverse("admin:articles_helpfulcomment_changelist")).status_code == 403
