"""Two editors on one article: each sees that the other is editing, and
nobody's draft is saved over without being asked first."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.drafts import save_draft
from articles.models import Draft, EditingSession
from tests.articles.drafting import (
    admin_url,
    article_form,
    category_editor,
    editor,
    live_article,
    signed_in,
    viewer,
)
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

THEIRS = "<p>Sam's wording of the symptoms.</p>"
MINE = "<p>Alex's wording of the symptoms.</p>"


@pytest.fixture
def alex():
    return editor(username="alex", first_name="Alex", last_name="Reed")


@pytest.fixture
def sam():
    return editor(username="sam", first_name="Sam", last_name="Hill")


def beat(client, obj, **data):
    return client.post(admin_url(obj, "draft_editing"), data)


def test_the_second_editor_is_told_at_once_and_the_first_on_the_next_heartbeat(alex, sam):
    article = live_article()
    first, second = signed_in(alex), signed_in(sam)
    opened_first = first.get(admin_url(article, "change"))
    assertNotContains(opened_first, "is also editing")

    opened_second = second.get(admin_url(article, "change"))

    assertContains(opened_second, "Alex Reed is also editing this article.")
    answer = beat(first, article)
    assert answer.status_code == 200
    assert answer.json() == {"others": ["Sam Hill"]}
    assert beat(second, article).json() == {"others": ["Alex Reed"]}


def test_an_editor_who_left_minutes_ago_is_no_longer_named(alex, sam, settings):
    article = live_article()
    signed_in(alex).get(admin_url(article, "change"))
    EditingSession.objects.filter(user=alex).update(
        seen_at=timezone.now() - timedelta(seconds=settings.DRAFT_PRESENCE_SECONDS + 1)
    )

    assertNotContains(signed_in(sam).get(admin_url(article, "change")), "is also editing")


def test_closing_the_form_takes_the_editor_off_the_notice(alex, sam):
    article = live_article()
    first = signed_in(alex)
    first.get(admin_url(article, "change"))

    assert beat(first, article, leaving="1").json() == {"others": []}

    assertNotContains(signed_in(sam).get(admin_url(article, "change")), "is also editing")


def test_someone_with_an_unpublished_draft_counts_as_editing(alex, sam):
    article = live_article()
    save_draft(obj=article, user=sam, values={"body": [THEIRS]}, seen_version=0)

    opened = signed_in(alex).get(admin_url(article, "change"))

    assertContains(opened, "Sam Hill is also editing this article.")


def test_saving_over_a_newer_draft_of_someone_else_asks_first_and_loses_nothing(alex, sam):
    article = live_article()
    mine = signed_in(alex)
    opened = mine.get(admin_url(article, "change"))
    assertContains(opened, 'name="draft_version" value="0"')
    save_draft(obj=article, user=sam, values={"body": [THEIRS]}, seen_version=0)

    asked = mine.post(admin_url(article, "change"), article_form(article, body=MINE))

    assert asked.status_code == 200
    assertContains(asked, "Sam Hill saved a newer draft of this page")
    assertContains(asked, "Replace their draft")
    assertContains(asked, "Alex&#x27;s wording")  # what Alex typed is still in the form
    assert Draft.objects.get().data["body"] == [THEIRS]

    replaced = mine.post(
        admin_url(article, "change"), article_form(article, body=MINE, _replace_draft="_save")
    )

    assert replaced.status_code == 302
    draft = Draft.objects.get()
    assert draft.data["body"] == [MINE]
    assert draft.saved_by == alex


def test_publishing_over_a_newer_draft_asks_first_too(alex, sam):
    article = live_article()
    save_draft(obj=article, user=sam, values={"body": [THEIRS]}, seen_version=0)
    mine = signed_in(alex)

    asked = mine.post(admin_url(article, "change"), article_form(article, body=MINE, _publish="1"))

    assert asked.status_code == 200
    assertContains(asked, 'name="_replace_draft" value="_publish"')
    article.refresh_from_db()
    assert "Alex" not in article.body

    mine.post(
        admin_url(article, "change"), article_form(article, body=MINE, _replace_draft="_publish")
    )
    article.refresh_from_db()
    assert "Alex's wording" in article.body
    assert not Draft.objects.exists()


def test_an_autosave_never_replaces_a_newer_draft_of_someone_else(alex, sam):
    article = live_article()
    save_draft(obj=article, user=sam, values={"body": [THEIRS]}, seen_version=0)

    response = signed_in(alex).post(
        admin_url(article, "draft_autosave"), article_form(article, body=MINE)
    )

    assert response.status_code == 409
    assert response.json()["error"].startswith("Sam Hill saved a newer draft at ")
    draft = Draft.objects.get()
    assert draft.data["body"] == [THEIRS]
    assert draft.autosave == {}


def test_an_editor_saves_over_their_own_newer_draft_without_being_asked(alex):
    article = live_article()
    save_draft(obj=article, user=alex, values={"body": [THEIRS]}, seen_version=0)

    response = signed_in(alex).post(admin_url(article, "change"), article_form(article, body=MINE))

    assert response.status_code == 302
    assert Draft.objects.get().data["body"] == [MINE]


def test_two_editors_of_a_category_see_each_other():
    category = CategoryFactory(title="Foot pain", slug="foot-pain")
    first = signed_in(category_editor(username="kim", first_name="Kim", last_name="Lee"))
    first.get(admin_url(category, "change"))

    opened = signed_in(category_editor(username="jo")).get(admin_url(category, "change"))

    assertContains(opened, "Kim Lee is also editing this injury category.")


def test_a_viewer_is_never_recorded_as_editing(alex):
    article = live_article()
    looker = signed_in(viewer())

    assert looker.get(admin_url(article, "change")).status_code == 200
    assert beat(looker, article).status_code == 403

    assert not EditingSession.objects.exists()
    assertNotContains(signed_in(alex).get(admin_url(article, "change")), "is also editing")


def test_previewing_over_a_newer_draft_shows_what_was_typed_and_keeps_theirs(alex, sam):
    article = live_article()
    save_draft(obj=article, user=sam, values={"body": [THEIRS]}, seen_version=0)

    preview = signed_in(alex).post(
        admin_url(article, "draft_preview"), article_form(article, body=MINE)
    )

    assert preview.status_code == 200
    assertContains(preview, "Preview: not published")
    assertContains(preview, "wording of the symptoms")
    assertContains(preview, "Alex")
    assertNotContains(preview, "Sam")
    assert "no-store" in preview["Cache-Control"]
    draft = Draft.objects.get()
    assert draft.data["body"] == [THEIRS]
    assert draft.autosave == {}


def test_the_autosave_offer_says_whose_autosave_it_is(alex, sam):
    article = live_article()
    save_draft(obj=article, user=sam, values={"body": [THEIRS]}, seen_version=0, autosave=True)

    opened = signed_in(alex).get(admin_url(article, "change"))

    assertContains(opened, "Restore Sam Hill’s autosaved draft from")
