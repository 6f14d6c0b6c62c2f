"""The article's History page: what each revision changed, in words, and why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from articles.models import Article
from articles.revisions import Words, word_changes
from tests.factories import ARTICLE_INLINES, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<h2>Symptoms</h2><p>Runners feel a dull ache around the kneecap, worse on stairs "
    "and after sitting for a long time. It often starts after a sudden rise in mileage.</p>"
)


def make_article(**fields):
    # A publish time the form sends back unchanged: it has no microseconds.
    published_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    # A meta description, so saves that publish pass the checks before publishing.
    fields.setdefault("meta_description", "Why the kneecap aches after a long run.")
    return ArticleFactory(body=BODY, published_at=published_at, **fields)


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(editor=True))
    return client


def change_form(article, **overrides):
    published_at = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "category": article.category_id,
        "body": article.body,
        "excerpt": article.excerpt,
        "image_alt": "",
        "status": article.status,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "comments_enabled": "on",
        "meta_description": article.meta_description,
        "change_reason": "",
        **ARTICLE_INLINES,
        # A live article's changes go live with “Publish changes” (tests/articles/test_drafts.py).
        "_publish": "Publish changes",
    }
    return {**data, **overrides}


def save(client, article, **changes):
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), change_form(article, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def history(client, article):
    return client.get(reverse("admin:articles_article_history", args=[article.pk]))


def test_word_changes_shows_removed_and_added_words_with_some_context():
    old = "one two three four five six seven eight nine ten eleven twelve thirteen"
    new = "one two three four five six SEVEN eight nine ten eleven twelve thirteen"
    assert word_changes(old, new, context=2) == [
        Words("gap"),
        Words("same", "five six"),
        Words("removed", "seven"),
        Words("added", "SEVEN"),
        Words("same", "eight nine"),
        Words("gap"),
    ]


def test_word_changes_keeps_distant_changes_apart_with_a_gap_between():
    words = [f"w{n}" for n in range(30)]
    changed = ["first", *words[1:20], "middle", *words[20:29]]
    assert word_changes(" ".join(words), " ".join(changed), context=1) == [
        Words("removed", "w0"),
        Words("added", "first"),
        Words("same", "w1"),
        Words("gap"),
        Words("same", "w19"),
        Words("added", "middle"),
        Words("same", "w20"),
        Words("gap"),
        Words("same", "w28"),
        Words("removed", "w29"),
    ]


def test_word_changes_of_equal_text_is_empty_and_an_added_text_is_all_added():
    assert word_changes("same words", "same  words") == []
    assert word_changes("", "new text") == [Words("added", "new text")]
    assert word_changes("old text", "") == [Words("removed", "old text")]


def test_the_history_shows_the_reason_and_the_words_changed_in_the_body(editor_client):
    article = make_article(title="Runner's knee")
    new_body = BODY.replace("worse on stairs", "worse when going down stairs").replace(
        "<p>Runners", "<p>Many runners"
    )
    save(
        editor_client,
        article,
        body=new_body,
        title="Runner's knee explained",
        change_reason="Clearer symptoms, as the physio asked",
    )

    response = history(editor_client, article)

    assertContains(response, "Reason for this change")
    assertContains(response, "Clearer symptoms, as the physio asked")
    assertInHTML("<ins>Many runners</ins>", response.content.decode())
    assertInHTML("<del>Runners</del>", response.content.decode())
    assertInHTML("<del>on</del>", response.content.decode())
    assertInHTML("<ins>when going down</ins>", response.content.decode())
    # Other fields keep their old → new line.
    assertContains(response, "Runner&#x27;s knee&nbsp;&rarr;&nbsp;Runner&#x27;s knee explained")
    # Only what changed is listed; the words, not the markup.
    assertNotContains(response, "Publish date:")
    assertNotContains(response, "&lt;p&gt;")
    assertNotContains(response, "&lt;h2")
    # The first revision has no reason: nothing is shown, not "None".
    assertNotContains(response, '<td class="revision-reason">None</td>')
    assert article.history.latest().history_change_reason == "Clearer symptoms, as the physio asked"


def test_saving_without_a_reason_stores_none_and_shows_nothing(editor_client):
    article = make_article()
    save(editor_client, article, title="A new title")

    response = history(editor_client, article)

    assert article.history.latest().history_change_reason is None
    assert response.content.decode().count('<td class="revision-reason"></td>') == 2
    assertNotContains(response, ">None<")


def test_markup_typed_into_the_body_shows_as_text_in_the_history(editor_client):
    article = make_article()
    typed = "<p>Do not paste &lt;script&gt;alert(1)&lt;/script&gt; here.</p>"
    save(editor_client, article, body=BODY + typed, change_reason="<b>bold</b> reason")

    response = history(editor_client, article)
    page = response.content.decode()

    assert "<script>alert(1)" not in page
    assert "<b>bold</b>" not in page
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertContains(response, "&lt;b&gt;bold&lt;/b&gt; reason")
    assert Article.objects.get(pk=article.pk).body.endswith(typed)


def test_a_changed_publish_date_shows_in_the_site_time_zone(editor_client):
    article = make_article()
    save(editor_client, article, published_at_0="2031-05-04", published_at_1="07:30:00")

    response = history(editor_client, article)

    assertContains(response, "&rarr;&nbsp;May 04, 2031 07:30 AM")


def test_a_reason_longer_than_the_history_keeps_is_refused_with_the_text_kept(editor_client):
    article = make_article()
    reason = "x" * 101
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form(article, title="Changed", change_reason=reason),
    )
    assert response.status_code == 200
    assertContains(response, "Ensure this value has at most 100 characters")
    assertContains(response, f'value="{reason}"')
    assert Article.objects.get(pk=article.pk).title != "Changed"


def test_reverting_to_an_earlier_revision_keeps_the_reason_given(editor_client):
    article = make_article(title="First title")
    save(editor_client, article, title="Second title")
    first = article.history.earliest()

    revert = reverse("admin:articles_article_simple_history", args=[article.pk, first.pk])
    assertContains(editor_client.get(revert), "Reason for this change")
    response = editor_client.post(
        revert, change_form(article, change_reason="Back to the first title")
    )

    assert response.status_code == 302
    latest = article.history.latest()
    assert (latest.title, latest.history_change_reason) == (
        "First title",
        "Back to the first title",
    )
