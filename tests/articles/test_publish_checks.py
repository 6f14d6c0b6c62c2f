"""The checks before publishing: the rules (articles/publish_checks.py), and
the admin refusing to publish until the problems are fixed or accepted."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.publish_checks import check_article, check_publication
from tests.factories import ARTICLE_INLINES, AffiliateLinkFactory, ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "Runner's knee: causes and cures",
    "excerpt": "Why the front of the knee aches, and what helps.",
    "meta_description": "Runner's knee explained by a physiotherapist.",
    "body": "<p>Intro.</p><h2>Causes</h2><p>Text.</p><h3>Weak hips</h3><p>More.</p>",
}


def check(**changes):
    return check_publication(**{**GOOD, **changes})


def messages_of(findings):
    return [finding.message for finding in findings]


def test_a_complete_article_has_no_problems_and_no_warnings():
    checks = check()
    assert checks.problems == []
    assert checks.warnings == []
    assert not checks.is_blocking


def test_an_image_without_alt_text_is_a_problem_naming_the_image():
    checks = check(
        body='<p><img src="/media/uploads/knee.png" alt="A knee"></p>'
        '<p><img src="/media/uploads/brace.png"></p><p><img src="/media/x.png" alt=" "></p>'
    )
    assert [f.kind for f in checks.problems] == ["image_alt", "image_alt"]
    assert "Image 2 in the body (brace.png) has no alt text" in checks.problems[0].message
    assert "“Alternative Text”" in checks.problems[0].message
    assert "Image 3 in the body (x.png)" in checks.problems[1].message


def test_a_decorative_image_needs_no_alt_text():
    checks = check(body='<p><img class="decorative" src="/media/uploads/line.png" alt=""></p>')
    assert checks.problems == []


def test_a_skipped_heading_level_is_a_problem():
    checks = check(body="<h2>Causes</h2><h4>Hips</h4><h3>Feet</h3><h2>Cures</h2>")
    assert messages_of(checks.problems) == [
        "The heading “Hips” (h4) follows “Causes” (h2): a level is skipped, which misleads "
        "readers of screen readers and the table of contents. Make it an h3, or add the "
        "missing heading above it."
    ]


def test_a_body_that_starts_with_a_subheading_is_a_problem():
    checks = check(body="<h3>Causes</h3><p>Text.</p>")
    assert len(checks.problems) == 1
    assert "“Causes” (h3) is the first heading" in checks.problems[0].message
    assert "Make it an h2" in checks.problems[0].message


@pytest.mark.parametrize("meta", ["", "   "])
def test_an_empty_meta_description_is_a_problem(meta):
    checks = check(meta_description=meta)
    assert [f.kind for f in checks.problems] == ["meta_description"]
    assert "“Meta description”" in checks.problems[0].message


def test_links_to_public_pages_of_the_site_are_fine(settings):
    settings.SITE_URL = "https://www.example.com"
    settings.ALLOWED_HOSTS = ["www.example.com"]
    article = ArticleFactory(slug="shin-splints")
    hub = CategoryFactory(slug="knee-injuries")
    body = (
        f'<p><a href="{article.get_absolute_url()}">a</a> <a href="/knee-injuries/">b</a> '
        '<a href="/shin-splints.html">c</a> <a href="https://www.example.com/shin-splints/">d</a>'
        ' <a href="/feed/">e</a> <a href="/search/?q=knee">f</a> <a href="#causes">g</a>'
        ' <a href="https://nhs.uk/">h</a> <a href="mailto:a@example.com">i</a></p>'
    )
    assert hub.slug in body
    assert check(body=body).problems == []


def test_links_to_missing_draft_or_scheduled_articles_are_problems():
    ArticleFactory(slug="heel-pain", title="Heel pain", draft=True)
    ArticleFactory(slug="hip-pain", title="Hip pain", scheduled=True)
    body = (
        '<p><a href="/no-such-page/">a</a> <a href="/heel-pain/">b</a> <a href="/hip-pain/">c</a>'
        ' <a href="knee/">d</a> <a href="/admin/articles/article/">e</a>'
        ' <a href="/media/uploads/gone.pdf">f</a></p>'
    )
    found = sorted(messages_of(check(body=body).problems))
    assert len(found) == 6
    assert found[0].startswith("The link /admin/articles/article/ goes to the admin")
    assert found[1].startswith("The link /heel-pain/ leads to “Heel pain”, which is a draft")
    assert "The link /hip-pain/ leads to “Hip pain”, which is scheduled for" in found[2]
    assert found[3].startswith("The link /media/uploads/gone.pdf leads to a page that does not")
    assert found[4].startswith("The link /no-such-page/ leads to a page that does not exist")
    assert found[5].startswith("The link knee/ is relative")


def test_a_link_to_the_article_itself_counts_as_public():
    checks = check_publication(
        **{**GOOD, "body": '<p><a href="/new-one/">me</a></p>'}, slug="new-one"
    )
    assert checks.problems == []


def test_links_through_redirects_follow_the_redirect():
    site = Site.objects.get_current()
    target = ArticleFactory(slug="patella-pain")
    draft = ArticleFactory(slug="draft-target", draft=True)
    Redirect.objects.create(site=site, old_path="/old-knee/", new_path=target.get_absolute_url())
    Redirect.objects.create(site=site, old_path="/old-draft/", new_path=draft.get_absolute_url())
    Redirect.objects.create(site=site, old_path="/removed/", new_path="")
    Redirect.objects.create(site=site, old_path="/to-nowhere/", new_path="/nowhere-at-all/")
    body = (
        '<p><a href="/old-knee.html">a</a> <a href="/old-draft/">b</a> <a href="/removed/">c</a>'
        ' <a href="/to-nowhere/">d</a></p>'
    )
    found = sorted(messages_of(check(body=body).problems))
    assert len(found) == 3
    assert found[0].startswith("The link /old-draft/ leads to “")
    assert "which is a draft" in found[0]
    assert found[1].startswith("The link /removed/ leads to a page that was removed")
    assert found[2].startswith("The link /to-nowhere/ leads to a page that does not exist")


def test_affiliate_links_outside_the_allow_list_are_problems(settings):
    settings.AFFILIATE_ALLOWED_HOSTS = ["amazon.com", "amzn.to"]
    AffiliateLinkFactory(slug="knee-sleeve", name="Knee sleeve")
    AffiliateLinkFactory(slug="old-deal", name="Old deal", inactive=True)
    stray = AffiliateLinkFactory(slug="stray", name="Stray shop")
    # Allowed when it was made; the owner has since taken the host off the list.
    type(stray).objects.filter(pk=stray.pk).update(destination_url="https://shop.example/x")
    body = (
        '<p><a href="/go/knee-sleeve/">a</a> <a href="/go/missing/">b</a> <a href="/go/stray/">c</a>'
        ' <a href="/go/old-deal/">d</a> <a href="https://www.amazon.com/dp/B01?tag=me-20">e</a>'
        ' <a href="https://shoes.example/p?tag=me-20">f</a>'
        ' <a href="https://www.shareasale.com/r.cfm?b=1">g</a> <a href="https://shoes.example/">h</a></p>'
    )
    checks = check(body=body)
    problems = messages_of(checks.problems)
    assert [f.kind for f in checks.problems] == ["affiliate_link"] * 4
    assert any(
        "https://shoes.example/p?tag=me-20 looks like an affiliate link (it carries “tag=”)" in m
        and "“shoes.example” is not on the site's affiliate allow-list" in m
        for m in problems
    )
    assert any("shareasale.com" in m and "affiliate network" in m for m in problems)
    assert any("/go/missing/ names no affiliate link" in m for m in problems)
    assert any("“Stray shop” (/go/stray/) leads outside the allow-list" in m for m in problems)
    warnings = messages_of(checks.warnings)
    assert any("“Old deal” (/go/old-deal/) is switched off" in m for m in warnings)
    assert any(
        "https://www.amazon.com/dp/B01?tag=me-20 goes straight to the merchant" in m
        for m in warnings
    )


def test_a_long_title_and_a_long_excerpt_are_warnings_not_problems(settings):
    settings.EXCERPT_LENGTH = 50
    checks = check(
        title="Runner's knee: every cause, every cure and every exercise that helps",
        excerpt="The front of the knee aches on stairs and hills, and it gets worse with miles.",
    )
    assert checks.problems == []
    assert [f.kind for f in checks.warnings] == ["long_title", "long_excerpt"]
    assert "The title is 68 characters; search results show about 60" in checks.warnings[0].message
    assert "The excerpt is 78 characters; listings cut it at about 50" in checks.warnings[1].message


def test_the_checks_read_the_body_as_the_sanitiser_leaves_it():
    # The script goes on save, so it is no problem; the image it hid stays one.
    checks = check(body='<p><script>alert(1)</script><img src="/media/a.png" onerror="x"></p>')
    assert [f.kind for f in checks.problems] == ["image_alt"]


def test_check_article_reads_an_articles_fields():
    article = ArticleFactory.build(body="<h3>Sub</h3>", meta_description="")
    assert [f.kind for f in check_article(article).problems] == [
        "heading_order",
        "meta_description",
    ]


# The admin: the form is refused, kept, and accepted on request.


def article_form(category, **fields):
    now = timezone.localtime()
    return {
        "title": "Knee braces",
        "slug": "knee-braces",
        "category": category.pk,
        "body": '<p>Braces help.</p><p><img src="/media/uploads/brace.png"></p>',
        "excerpt": "What a brace does.",
        "image_alt": "",
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "meta_description": "",
        "author": "",
        "banner_after_intro": "",
        "banner_sidebar": "",
        "change_reason": "",
        **ARTICLE_INLINES,
        **fields,
    }


def test_publishing_with_problems_is_refused_and_the_form_keeps_what_was_typed(admin_client):
    category = CategoryFactory()
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(category, title="Knee braces: my typed title", excerpt="Typed excerpt."),
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    assertContains(response, "Checks before publishing")
    assertContains(response, "Image 1 in the body (brace.png) has no alt text")
    assertContains(response, "The meta description is empty")
    assertContains(response, "Not published: the checks found 2 problems")
    assertContains(response, "Publish anyway: I have checked these problems")
    assertContains(response, 'value="Knee braces: my typed title"')
    assertContains(response, "Typed excerpt.")
    assertContains(response, "brace.png")  # the body is in the editor's text area


def test_fixing_the_problems_publishes(admin_client):
    data = article_form(
        CategoryFactory(),
        body='<p>Braces help.</p><p><img src="/media/uploads/brace.png" alt="A brace"></p>',
        meta_description="What a knee brace does for a runner.",
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.get().is_published


def test_accepted_problems_publish_and_the_history_says_so(admin_client):
    data = article_form(CategoryFactory(), accept_problems="on", change_reason="First version")
    response = admin_client.post(reverse("admin:articles_article_add"), data, follow=True)
    article = Article.objects.get()
    assert article.is_published
    reason = article.history.latest().history_change_reason
    assert reason == (
        "First version; Published anyway (2 problems: image alt text, meta description)"
    )
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Published with 2 problems" in m and "accepted" in m for m in warnings)


def test_a_draft_saves_whatever_the_checks_would_find(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(CategoryFactory(), status="draft")
    )
    assert response.status_code == 302
    assert Article.objects.get().status == "draft"


def test_scheduling_is_publishing_too(admin_client):
    later = timezone.localtime() + timedelta(days=2)
    data = article_form(
        CategoryFactory(),
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_turning_a_draft_into_a_published_article_is_checked(admin_client):
    article = ArticleFactory(draft=True, body="<h3>Sub</h3>", meta_description="A sentence.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(
        article.category,
        slug=article.slug,
        title=article.title,
        body=article.body,
        meta_description="A sentence.",
    )
    response = admin_client.post(url, data)
    assertContains(response, "is the first heading")
    article.refresh_from_db()
    assert article.status == "draft"


def test_saving_a_live_article_without_changing_its_text_is_not_blocked(admin_client):
    article = ArticleFactory(body="<h3>Old sub</h3>", meta_description="")
    article.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[article.pk])
    now = timezone.localtime(article.published_at)
    data = article_form(
        article.category,
        title=article.title,
        slug=article.slug,
        body=article.body,
        excerpt=article.excerpt,
        published_at_0=now.strftime("%Y-%m-%d"),
        published_at_1=now.strftime("%H:%M:%S"),
        comments_enabled="",
        # A live article's changes go live with “Publish changes” (tests/articles/test_drafts.py).
        _publish="Publish changes",
    )
    assert admin_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.comments_enabled is False
    # Changing its text is publishing that text: checked.
    data["body"] = "<h3>New sub</h3>"
    assertContains(admin_client.post(url, data), "is the first heading")
    article.refresh_from_db()
    assert "Old sub" in article.body


def test_warnings_alone_do_not_block_and_are_shown_after_saving(admin_client):
    data = article_form(
        CategoryFactory(),
        title="Knee braces for runners: every kind, what each does, and which to buy",
        body="<p>Braces help.</p>",
        meta_description="What a knee brace does for a runner.",
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data, follow=True)
    assert Article.objects.get().is_published
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("The title is 69 characters") for m in shown)


# The list's "Publish" action.


def post_action(client, articles, **extra):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [a.pk for a in articles], **extra},
    )


def test_the_publish_action_lists_problems_and_publishes_nothing(admin_client):
    fine = ArticleFactory(draft=True, title="Fine one", meta_description="A sentence.")
    broken = ArticleFactory(draft=True, title="Broken one", body='<p><img src="/m.png"></p>')
    response = post_action(admin_client, [fine, broken], index=0)
    assert response.status_code == 200
    assertContains(response, "Broken one")
    assertContains(response, "Image 1 in the body (m.png) has no alt text")
    assertContains(response, "Publish only the 1 without problems")
    assertNotContains(response, "Fine one")
    assert Article.objects.filter(status="published").count() == 0


def test_the_publish_action_publishes_only_the_clean_articles_when_asked(admin_client):
    fine = ArticleFactory(draft=True, meta_description="A sentence.")
    broken = ArticleFactory(draft=True)
    response = post_action(admin_client, [fine, broken], publish_clean="1")
    assert response.status_code == 302
    assert set(Article.objects.published()) == {fine}


def test_the_publish_action_needs_the_box_ticked_to_publish_problems(admin_client):
    broken = ArticleFactory(draft=True)
    response = post_action(admin_client, [broken], publish_checked="1")
    assertContains(response, "Tick the box to publish articles with problems")
    assert not Article.objects.published().exists()

    response = post_action(admin_client, [broken], publish_checked="1", accept_problems="on")
    assert response.status_code == 302
    broken.refresh_from_db()
    assert broken.is_published
    reason = broken.history.latest().history_change_reason
    assert reason == "Published anyway (1 problem: meta description)"


def test_the_publish_action_publishes_clean_drafts_at_once(admin_client):
    fine = ArticleFactory(draft=True, meta_description="A sentence.")
    assert post_action(admin_client, [fine], index=0).status_code == 302
    assert list(Article.objects.published()) == [fine]


def test_checking_many_links_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    def body(count):
        for number in range(count):
            ArticleFactory(slug=f"page-{count}-{number}")
        return "".join(
            f'<p><a href="/page-{count}-{n}/">a</a> <a href="https://shop{n}.example/?x=1">b</a>'
            f' <a href="/go/link-{n}/">c</a></p>'
            for n in range(count)
        )

    few, many = body(2), body(40)
    with django_assert_max_num_queries(10) as counted:
        check(body=few)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        check(body=many)
