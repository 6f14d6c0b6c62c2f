"""Drafts of live articles and of categories: saved apart from what readers
see, previewed in the site's own page, published or discarded."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.drafts import publish_draft, save_draft
from articles.models import Article, Category, Draft
from tests.articles.drafting import (
    LIVE_BODY,
    admin_url,
    article_form,
    category_editor,
    category_form,
    editor,
    live_article,
    signed_in,
    viewer,
)
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, create_archive

pytestmark = pytest.mark.django_db

NEW_BODY = "<h2>Symptoms</h2><p>A sharp pain below the kneecap on the stairs.</p>"


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


def reader_sees_only_the_published_text(article, *, published, draft_words):
    """The article page (twice, the second from the page cache), the hub,
    search, the sitemap and the feed, as a signed-out reader gets them."""
    reader = Client()
    for _ in range(2):
        page = reader.get(page_url(article))
        assertContains(page, published)
        assertNotContains(page, draft_words)
        assertNotContains(page, "Preview: not published")
    assert reader.get(page_url(article))["X-Page-Cache"] == "hit"
    found = reader.get(reverse("articles:search"), {"q": draft_words})
    assertNotContains(found, article.title)
    assertNotContains(reader.get(reverse("articles:feed")), draft_words)
    assertNotContains(reader.get(reverse("articles:sitemap")), "draft")
    assertNotContains(reader.get(page_url(article.category)), draft_words)


@pytest.fixture
def alex():
    return editor(username="alex", first_name="Alex", last_name="Reed")


def test_saving_a_live_article_keeps_a_draft_and_the_live_page_unchanged(alex):
    article = live_article()
    revisions = article.history.count()
    client = signed_in(alex)
    Client().get(page_url(article))  # the live page is in the page cache

    response = client.post(
        admin_url(article, "change"), article_form(article, body=NEW_BODY, _save="Save draft")
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url(article, "change")
    article.refresh_from_db()
    assert "A dull ache" in article.body
    assert article.history.count() == revisions
    draft = Draft.objects.get(article=article)
    assert draft.saved_by == alex
    assert draft.saved_at is not None
    assert draft.data["body"] == [NEW_BODY]
    reader_sees_only_the_published_text(
        article, published="A dull ache", draft_words="sharp pain below the kneecap"
    )


def test_the_form_reopens_on_the_draft_and_says_readers_see_the_published_page(alex):
    article = live_article()
    client = signed_in(alex)
    client.post(
        admin_url(article, "change"), article_form(article, body=NEW_BODY, title="Knee pain")
    )

    form = client.get(admin_url(article, "change"))

    assertContains(form, "A sharp pain below the kneecap")
    assertContains(form, 'value="Knee pain"')
    assertContains(form, "Readers still see the published page")
    assertContains(form, 'name="_publish"')
    assertContains(form, "Preview")


def test_publish_changes_puts_the_draft_live_and_the_history_names_who_published(alex):
    article = live_article()
    drafter = editor(username="sam", first_name="Sam", last_name="Hill")
    signed_in(drafter).post(admin_url(article, "change"), article_form(article, body=NEW_BODY))
    draft = Draft.objects.get(article=article)
    reader = Client()
    reader.get(page_url(article))

    response = signed_in(alex).post(
        admin_url(article, "change"),
        article_form(article, body=NEW_BODY, draft_version=str(draft.version), _publish="1"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert "A sharp pain below the kneecap" in article.body
    assert not Draft.objects.filter(article=article).exists()
    revision = article.history.first()
    assert revision.history_user == alex
    assert revision.history_change_reason == "Published changes drafted by Sam Hill"
    assertContains(reader.get(page_url(article)), "A sharp pain below the kneecap")


def test_publish_draft_is_the_one_place_changes_go_live(alex):
    article = live_article()
    save_draft(obj=article, user=alex, values={"body": [NEW_BODY]}, seen_version=0)
    article.body = NEW_BODY

    publish_draft(obj=article, user=alex, reason="Physio's wording")

    assert article.history.first().history_change_reason == "Physio's wording"
    assert article.history.first().history_user == alex
    assert not Draft.objects.exists()


def test_preview_shows_the_draft_in_the_sites_page_with_a_banner_and_is_never_cached(alex):
    article = live_article()
    client = signed_in(alex)
    client.post(admin_url(article, "change"), article_form(article, body=NEW_BODY))

    preview = client.get(admin_url(article, "draft_preview"))

    assert preview.status_code == 200
    assertContains(preview, "Preview: not published")
    assertContains(preview, "A sharp pain below the kneecap")
    assertContains(preview, f"Return to {article.category.title}")  # the site's own layout
    assertContains(preview, '<meta name="robots" content="noindex, nofollow">')
    assert "private" in preview["Cache-Control"]
    assert "no-store" in preview["Cache-Control"]
    # Nothing of the preview reached the cached fragments readers are served.
    reader_sees_only_the_published_text(
        article, published="A dull ache", draft_words="sharp pain below the kneecap"
    )


def test_preview_from_the_form_shows_what_was_typed_without_saving_the_article(alex):
    article = live_article()
    client = signed_in(alex)

    response = client.post(
        admin_url(article, "draft_preview"), article_form(article, body=NEW_BODY, _preview="1")
    )

    assert response.status_code == 302
    preview = client.get(response["Location"])
    assertContains(preview, "A sharp pain below the kneecap")
    article.refresh_from_db()
    assert "A dull ache" in article.body


def test_a_draft_can_be_discarded_and_the_form_shows_the_live_text_again(alex):
    article = live_article()
    client = signed_in(alex)
    client.post(admin_url(article, "change"), article_form(article, body=NEW_BODY))

    response = client.post(admin_url(article, "draft_discard"), {"_discard": "1"})

    assert response.status_code == 302
    assert not Draft.objects.filter(article=article).exists()
    form = client.get(admin_url(article, "change"))
    assertNotContains(form, "A sharp pain below the kneecap")
    assertContains(form, "A dull ache")


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_an_article_readers_do_not_see_yet_saves_as_before(alex, kind):
    shift = timedelta(days=1) if kind == "scheduled" else -timedelta(hours=1)
    article = ArticleFactory(
        body=LIVE_BODY,
        published_at=timezone.now().replace(microsecond=0) + shift,
        meta_description="Why the kneecap aches.",
        **{kind: True},
    )

    response = signed_in(alex).post(
        admin_url(article, "change"), article_form(article, body=NEW_BODY, _save="Save")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert "A sharp pain below the kneecap" in article.body
    assert not Draft.objects.exists()


def test_a_category_intro_change_waits_for_publish_changes():
    category = CategoryFactory(title="Knee pain", slug="knee-pain", intro="<p>Old intro.</p>")
    ArticleFactory(category=category)
    client = signed_in(category_editor())

    client.post(admin_url(category, "change"), category_form(category, intro="<p>New intro.</p>"))

    category.refresh_from_db()
    assert category.intro == "<p>Old intro.</p>"
    hub = Client().get(page_url(category))
    assertContains(hub, "Old intro.")
    assertNotContains(hub, "New intro.")
    preview = client.get(admin_url(category, "draft_preview"))
    assertContains(preview, "Preview: not published")
    assertContains(preview, "New intro.")
    assert "no-store" in preview["Cache-Control"]
    assertContains(Client().get(page_url(category)), "Old intro.")

    draft = Draft.objects.get(category=category)
    client.post(
        admin_url(category, "change"),
        category_form(
            category, intro="<p>New intro.</p>", draft_version=str(draft.version), _publish="1"
        ),
    )

    category.refresh_from_db()
    assert category.intro == "<p>New intro.</p>"
    assertContains(Client().get(page_url(category)), "New intro.")
    assert not Draft.objects.exists()


def test_a_preview_sanitises_the_draft_as_a_save_would(alex):
    article = live_article()
    client = signed_in(alex)
    hostile = "<p>Ice it.</p><script>alert(1)</script><img src=x onerror=alert(2)>"
    client.post(admin_url(article, "change"), article_form(article, body=hostile))

    preview = client.get(admin_url(article, "draft_preview"))

    assertContains(preview, "Ice it.")
    assertNotContains(preview, "alert(1)")
    assertNotContains(preview, "onerror")


def test_an_invalid_draft_save_shows_the_errors_and_keeps_the_text(alex):
    article = live_article()

    response = signed_in(alex).post(
        admin_url(article, "change"), article_form(article, body=NEW_BODY, title="")
    )

    assert response.status_code == 200
    assertContains(response, "This field is required")
    assertContains(response, "A sharp pain below the kneecap")
    assert not Draft.objects.exists()


def test_a_draft_larger_than_the_limit_is_refused_with_a_message(alex, settings):
    settings.DRAFT_MAX_BYTES = 2000
    article = live_article()

    response = signed_in(alex).post(
        admin_url(article, "change"), article_form(article, body="<p>" + "knee " * 1000 + "</p>")
    )

    assert response.status_code == 200
    assertContains(response, "The draft is larger than")
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    ["draft_preview", "draft_discard", "draft_discard_autosave", "draft_autosave", "draft_editing"],
)
@pytest.mark.parametrize("who", ["anonymous", "viewer", "reader"])
def test_nobody_without_the_change_permission_reaches_a_draft(alex, endpoint, who):
    article = live_article()
    save_draft(obj=article, user=alex, values={"body": [NEW_BODY]}, seen_version=0)
    category = Category.objects.get()
    if who == "anonymous":
        client = Client()
    else:
        client = signed_in(viewer() if who == "viewer" else editor(is_staff=False))

    for obj in (article, category):
        assert client.get(admin_url(obj, endpoint)).status_code == 403
        assert client.post(admin_url(obj, endpoint), {"body": "x"}).status_code == 403
    assert Draft.objects.get().data == {"body": [NEW_BODY]}
    assert "A dull ache" in Article.objects.get().body


def test_the_draft_endpoints_answer_404_for_an_object_that_does_not_exist(alex):
    client = signed_in(alex)
    for url in [
        reverse("admin:articles_article_draft_preview", args=[999]),
        reverse("admin:articles_article_draft_autosave", args=["not-a-number"]),
        reverse("admin:articles_article_draft_editing", args=["999"]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_a_preview_of_values_no_form_would_send_says_why_and_keeps_nothing(alex):
    article = live_article()
    client = signed_in(alex)

    response = client.post(
        admin_url(article, "draft_preview"), article_form(article, body=NEW_BODY, category="999")
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url(article, "change")
    assertContains(client.get(response["Location"]), "Not previewed: Category")
    assert not Draft.objects.exists()


def test_preview_without_a_draft_goes_back_to_the_form(alex):
    article = live_article()
    client = signed_in(alex)

    response = client.get(admin_url(article, "draft_preview"))

    assert response.status_code == 302
    assertContains(client.get(response["Location"]), "There is no draft to preview.")


def test_an_unpublished_article_is_previewed_from_its_form_too(alex):
    article = ArticleFactory(draft=True, body=LIVE_BODY)
    client = signed_in(alex)

    response = client.post(
        admin_url(article, "draft_preview"),
        article_form(article, body=NEW_BODY, status="draft", _preview="1"),
        follow=True,
    )

    assertContains(response, "Preview: not published")
    assertContains(response, "A sharp pain below the kneecap")
    article.refresh_from_db()
    assert "A dull ache" in article.body
    assert Client().get(page_url(article)).status_code == 404


# Queries of each draft address, signed in (session, user and permissions
# included), whatever the size of the archive and of the article's thread.
# The preview and the autosave read (and check) the symptoms, regions,
# references and reviewer the form has too; the change page also shows the
# readers' response box (helpful answers and clicks over three periods).
BUDGETS = {"draft_preview": 15, "draft_autosave": 16, "draft_editing": 11, "change": 30}


@pytest.mark.parametrize("size", [3, 60])
def test_the_draft_pages_cost_a_fixed_number_of_queries(alex, size, django_assert_max_num_queries):
    create_archive(articles=size, comments=size)
    article = live_article()
    CommentFactory.create_batch(size, article=article)
    client = signed_in(alex)
    client.post(admin_url(article, "change"), article_form(article, body=NEW_BODY))
    version = str(Draft.objects.get().version)
    calls = {
        "draft_preview": lambda url: client.get(url),
        "draft_autosave": lambda url: client.post(
            url, article_form(article, body=NEW_BODY, draft_version=version)
        ),
        "draft_editing": lambda url: client.post(url),
        "change": lambda url: client.get(url),
    }
    for name, call in calls.items():
        url = admin_url(article, name)
        call(url)
        with django_assert_max_num_queries(BUDGETS[name]):
            assert call(url).status_code == 200


def test_a_draft_is_not_checked_but_publishing_it_is(alex):
    article = live_article()
    client = signed_in(alex)
    skipped = "<h3>A heading that skips a level</h3><p>Rest.</p>"

    saved = client.post(admin_url(article, "change"), article_form(article, body=skipped))

    assert saved.status_code == 302
    assert Draft.objects.get().data["body"] == [skipped]
    refused = client.post(
        admin_url(article, "change"),
        article_form(article, body=skipped, draft_version="1", _publish="1"),
    )
    assert refused.status_code == 200
    assertContains(refused, "Checks before publishing")
    assertContains(refused, "A heading that skips a level")  # the text is kept
    article.refresh_from_db()
    assert "A dull ache" in article.body
    assert Draft.objects.get().data["body"] == [skipped]
