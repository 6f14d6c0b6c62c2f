"""The autosave endpoint the change form's script posts to: it keeps what was
typed beside the article, offers it back when the form is opened again, and
never changes what readers see."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Draft
from tests.articles.drafting import (
    admin_url,
    article_form,
    editor,
    live_article,
    signed_in,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TYPED = "<h2>Symptoms</h2><p>Swelling on the outside of the knee after hills.</p>"


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


def csrf_client(user):
    """A signed-in client that, like a browser, must send the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(admin_url(ArticleFactory(draft=True), "change"))  # sets the csrftoken cookie
    return client


def autosave(client, article, **fields):
    data = article_form(article, **fields)
    token = client.cookies.get("csrftoken")
    if token is not None:
        data["csrfmiddlewaretoken"] = token.value
    return client.post(admin_url(article, "draft_autosave"), data)


@pytest.fixture
def alex():
    return editor(username="alex", first_name="Alex", last_name="Reed")


def test_an_autosave_is_kept_beside_the_article_and_the_live_page_is_unchanged(alex):
    article = live_article()
    stamp, revisions = article.updated_at, article.history.count()
    client = csrf_client(alex)
    reader = Client()
    reader.get(page_url(article))

    response = autosave(client, article, body=TYPED)

    assert response.status_code == 200
    answer = response.json()
    assert answer["version"] == 1
    draft = Draft.objects.get(article=article)
    assert answer["saved_at"] == timezone.localtime(draft.autosaved_at).strftime("%H:%M")
    assert draft.autosave["body"] == [TYPED]
    assert draft.autosaved_by == alex
    assert draft.data == {}
    article.refresh_from_db()
    assert (article.updated_at, article.history.count()) == (stamp, revisions)
    assert "Swelling" not in article.body
    for _ in range(2):  # rendered, then from the page cache
        assertNotContains(reader.get(page_url(article)), "Swelling")
    assertNotContains(reader.get(reverse("articles:search"), {"q": "swelling"}), article.title)
    assertNotContains(reader.get(reverse("articles:feed")), "Swelling")


def test_reopening_the_form_offers_the_autosave_and_restores_it(alex):
    article = live_article()
    client = csrf_client(alex)
    autosave(client, article, body=TYPED)

    opened = client.get(admin_url(article, "change"))

    assertContains(opened, "Restore the autosaved draft from")
    assertNotContains(opened, "Swelling on the outside")  # not until asked
    restored = client.get(admin_url(article, "change") + "?restore=autosave")
    assertContains(restored, "Swelling on the outside of the knee")
    assertContains(restored, "This form shows the autosaved draft")
    assertNotContains(restored, "Restore the autosaved draft from")


def test_discarding_the_autosave_keeps_the_draft_saved_by_hand(alex):
    article = live_article()
    client = csrf_client(alex)
    saved = "<p>The draft saved by hand.</p>"
    token = client.cookies["csrftoken"].value
    client.post(
        admin_url(article, "change"),
        article_form(article, body=saved, csrfmiddlewaretoken=token),
    )
    draft = Draft.objects.get()
    autosave(client, article, body=TYPED, draft_version=str(draft.version))

    response = client.post(
        admin_url(article, "draft_discard_autosave"), {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.autosave == {}
    assert draft.data["body"] == [saved]
    assertContains(client.get(admin_url(article, "change")), "The draft saved by hand.")


def test_saving_an_unpublished_article_drops_its_autosave(alex):
    article = ArticleFactory(draft=True)
    client = csrf_client(alex)
    autosave(client, article, body=TYPED, status="draft")
    assert "Swelling" not in type(article).objects.get(pk=article.pk).body

    token = client.cookies["csrftoken"].value
    response = client.post(
        admin_url(article, "change"),
        article_form(article, body=TYPED, csrfmiddlewaretoken=token, _save="Save"),
    )

    assert response.status_code == 302
    assert not Draft.objects.exists()
    article.refresh_from_db()
    assert "Swelling" in article.body


def test_an_autosave_without_the_csrf_token_is_refused(alex):
    article = live_article()
    client = csrf_client(alex)

    response = client.post(admin_url(article, "draft_autosave"), article_form(article, body=TYPED))

    assert response.status_code == 403
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("junk", "status", "says"),
    [
        ({"category": "999999"}, 400, "Category"),
        ({"category": "not a number"}, 400, "Category"),
        ({"published_at_0": "the 40th of May"}, 400, "date"),
        ({"status": "live-at-once"}, 400, "Status"),
        ({"comments_enabled": ["on", "off", "\x00"]}, 200, ""),
        ({"title": "", "body": ""}, 200, ""),  # half-written: kept as typed
        ({"title": "\x00 title with a NUL"}, 200, ""),
    ],
)
def test_junk_gets_a_clear_answer_and_never_a_500(alex, junk, status, says):
    article = live_article()
    client = csrf_client(alex)

    response = autosave(client, article, **junk)

    assert response.status_code == status, response.content
    if says:
        assert says in response.json()["error"]
        assert not Draft.objects.exists()


def test_an_autosave_larger_than_the_limit_is_refused(alex, settings):
    settings.DRAFT_MAX_BYTES = 5000
    article = live_article()

    response = autosave(csrf_client(alex), article, body="<p>" + "knee " * 2000 + "</p>")

    assert response.status_code == 413
    assert "larger than" in response.json()["error"]
    assert not Draft.objects.exists()


def test_a_body_larger_than_django_reads_is_refused_with_400(alex, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    article = live_article()

    response = autosave(csrf_client(alex), article, body="k" * 20_000)

    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_the_autosave_takes_only_post(alex):
    article = live_article()
    response = signed_in(alex).get(admin_url(article, "draft_autosave"))
    assert response.status_code == 405
    assert "POST" in response.json()["error"]


def test_each_autosave_raises_the_version_the_form_sends_back(alex):
    article = live_article()
    client = csrf_client(alex)
    first = autosave(client, article, body=TYPED).json()["version"]

    second = autosave(client, article, body=TYPED + "<p>More.</p>", draft_version=str(first))

    assert second.status_code == 200
    assert second.json()["version"] == first + 1
    assert Draft.objects.get().autosave["body"] == [TYPED + "<p>More.</p>"]
