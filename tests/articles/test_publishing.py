from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles import publishing
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_url(obj):
    return reverse("articles:page", kwargs={"slug": obj.slug})


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_staff_who_may_change_articles_preview_drafts_and_scheduled_articles(client, trait):
    article = ArticleFactory(**{trait: True}, title="Coming soon")
    client.force_login(UserFactory(editor=True))
    response = client.get(page_url(article))
    assertContains(response, "<h1>Coming soon</h1>", html=True)
    assertContains(response, "this article is not public")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=True)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_everyone_else_gets_404_for_drafts_and_scheduled_articles(client, trait):
    article = ArticleFactory(**{trait: True})
    assert client.get(page_url(article)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(page_url(article)).status_code == 404
    client.force_login(UserFactory(is_staff=True, article_permissions=False))
    assert client.get(page_url(article)).status_code == 404


def test_a_published_article_shows_no_preview_banner_even_to_staff(client):
    article = ArticleFactory()
    client.force_login(UserFactory(editor=True))
    response = client.get(page_url(article))
    assertNotContains(response, "not public")
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_article_page_costs_the_same_queries_for_every_anonymous_reader(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # measure a render, not a cache hit
    article = ArticleFactory()
    ArticleFactory.create_batch(12)
    client.get(page_url(article))  # warm caches such as ContentType
    # the article with its category (its comments and the site frame are cached)
    with django_assert_num_queries(1):
        assert client.get(page_url(article)).status_code == 200
    assert not client.cookies


def test_renaming_a_published_article_keeps_the_old_address_with_a_301(client):
    article = ArticleFactory(slug="runners-knee")
    article = Article.objects.get(pk=article.pk)
    article.slug = "runners-knee-pain"
    article.save()
    response = client.get("/runners-knee/")
    assertRedirects(response, "/runners-knee-pain/", status_code=301)


def test_renaming_twice_sends_every_old_address_straight_to_the_newest(client):
    article = ArticleFactory(slug="first")
    for slug in ["second", "third"]:
        article = Article.objects.get(pk=article.pk)
        article.slug = slug
        article.save()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/first/": "/third/",
        "/second/": "/third/",
    }
    article = Article.objects.get(pk=article.pk)
    article.slug = "first"
    article.save()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/second/": "/first/",
        "/third/": "/first/",
    }
    assertRedirects(client.get("/third/"), "/first/", status_code=301)


def test_renaming_a_draft_leaves_no_redirect():
    article = ArticleFactory(draft=True, slug="draft-name")
    article = Article.objects.get(pk=article.pk)
    article.slug = "better-name"
    article.save()
    assert not Redirect.objects.exists()


def test_the_owner_adds_redirects_for_other_old_addresses_in_the_admin(admin_client, client):
    article = ArticleFactory()
    response = admin_client.post(
        reverse("admin:redirects_redirect_add"),
        {"site": 1, "old_path": "/old-page.php", "new_path": page_url(article)},
    )
    assert response.status_code == 302
    assertRedirects(client.get("/old-page.php"), page_url(article), status_code=301)


def test_publish_makes_drafts_public_now_and_keeps_future_dates_as_scheduled():
    old = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=30))
    later = ArticleFactory(draft=True, published_at=timezone.now() + timedelta(days=2))
    already = ArticleFactory()
    changed = publishing.publish(articles=Article.objects.all())
    assert changed == 2
    old.refresh_from_db()
    later.refresh_from_db()
    assert old.is_published
    assert old.published_at > timezone.now() - timedelta(minutes=1)
    assert later.is_scheduled
    assert old.is_scheduled is False
    assert already.is_scheduled is False
    assert set(Article.objects.published()) == {old, already}


def test_unpublish_turns_published_and_scheduled_articles_into_drafts():
    ArticleFactory()
    ArticleFactory(scheduled=True)
    ArticleFactory(draft=True)
    assert publishing.unpublish(articles=Article.objects.all()) == 2
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}


def test_admin_list_actions_publish_and_unpublish(admin_client):
    draft = ArticleFactory(draft=True, meta_description="Knees, shins and feet.")
    url = reverse("admin:articles_article_changelist")
    admin_client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    admin_client.post(url, {"action": "unpublish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_the_admin_list_costs_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    ArticleFactory.create_batch(3, category=CategoryFactory())
    url = reverse("admin:articles_article_changelist")
    admin_client.get(url)
    ArticleFactory.create_batch(25, category=CategoryFactory())
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assertContains(response, "Published")
    ArticleFactory(scheduled=True, title="Future piece")
    assertContains(admin_client.get(url), "Scheduled")


def test_each_save_keeps_a_revision_and_the_admin_restores_an_earlier_one(admin_client):
    article = ArticleFactory(title="First title", body="<p>First words.</p>")
    article.title = "Second title"
    article.body = "<p>Second words.</p>"
    article.save()
    assert article.history.count() == 2
    history = admin_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assertContains(history, "First title")
    first = article.history.earliest()
    form_url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    form = admin_client.get(form_url)
    assert form.status_code == 200
    data = {
        "title": first.title,
        "slug": first.slug,
        "category": first.category_id,
        "body": first.body,
        "excerpt": "",
        "image_alt": "",
        "status": first.status,
        "published_at_0": timezone.localtime(first.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(first.published_at).strftime("%H:%M:%S"),
        "reviewed_by": "",
        "meta_description": "",
    }
    response = admin_client.post(form_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "First title"
    assert article.body_html == "<p>First words.</p>"
    assert article.history.count() == 3


def test_saving_in_the_admin_warns_about_images_without_alt_text(admin_client):
    category = CategoryFactory()
    body = (
        '<p><img src="/media/uploads/a.png"></p>'
        '<p><img src="/media/uploads/b.png" alt=""></p>'
        '<p><img src="/media/uploads/c.png" alt="A knee brace"></p>'
        '<p><img class="decorative" src="/media/uploads/d.png" alt=""></p>'
    )
    now = timezone.localtime()
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Braces",
            "slug": "braces",
            "category": category.pk,
            "body": body,
            "status": "draft",
            "published_at_0": now.strftime("%Y-%m-%d"),
            "published_at_1": now.strftime("%H:%M:%S"),
        },
        follow=True,
    )
    assert Article.objects.filter(slug="braces").exists()
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "2 image(s) in the body have no alt text: a.png, b.png" in warnings[0]


def test_a_decorative_image_is_shown_with_empty_alt_text(client):
    article = ArticleFactory(body='<p><img class="decorative" src="/x.png" alt="junk"></p>')
    assertContains(client.get(page_url(article)), 'alt=""')


def test_updated_and_medical_review_are_shown_under_the_title_when_set(client):
    bare = ArticleFactory()
    assertNotContains(client.get(page_url(bare)), "Medically reviewed")
    article = ArticleFactory(
        updated_on=date(2025, 3, 2),
        reviewed_by="Dr Ana Silva, physiotherapist",
        reviewed_on=date(2025, 2, 20),
    )
    html = client.get(page_url(article)).content.decode()
    credits = html[html.index("<h1>") : html.index('class="rich-text"')]
    assert "Updated <time" in credits
    assert "Mar 2, 2025" in credits
    assert "Medically reviewed by Dr Ana Silva, physiotherapist on" in credits
    assert "Feb 20, 2025" in credits


def test_the_table_of_contents_appears_after_the_intro_when_switched_on(client):
    body = "<p>Intro words.</p><h2>Causes</h2><p>A.</p><h3>Hips</h3><h2>Recovery</h2>"
    plain = ArticleFactory(body=body)
    assertNotContains(client.get(page_url(plain)), 'class="toc"')
    article = ArticleFactory(body=body, toc_enabled=True)
    html = client.get(page_url(article)).content.decode()
    assert html.index("Intro words.") < html.index('class="toc"') < html.index('<h2 id="causes">')
    for anchor in ["#causes", "#hips", "#recovery"]:
        assert f'href="{anchor}"' in html


def test_the_admin_list_labels_only_future_articles_as_scheduled_in_site_time(
    admin_client, settings
):
    settings.TIME_ZONE = "America/New_York"
    ArticleFactory(title="Live now")
    ArticleFactory(
        title="Coming soon",
        published_at=datetime(2099, 2, 26, 17, 30, tzinfo=ZoneInfo("UTC")),
    )
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    html = response.content.decode()
    assert html.count("Scheduled <small>") == 1
    assert "public from Feb 26, 2099 12:30 PM" in html


def test_restoring_a_revision_with_an_older_slug_keeps_the_newer_address_working(client):
    article = ArticleFactory(slug="knee-pain")
    article.slug = "knee-pain-explained"
    article.save()
    first_revision = article.history.order_by("history_id").first()
    first_revision.instance.save()  # what the admin's "Revert" does
    assert Article.objects.get(pk=article.pk).slug == "knee-pain"
    assertRedirects(client.get("/knee-pain-explained/"), "/knee-pain/", status_code=301)
    assert client.get("/knee-pain/").status_code == 200
