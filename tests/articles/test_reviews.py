"""The clinical review cycle: reviewers and their profiles, due dates,
"changed since review", signing off, the Reviews due list and reminders."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.groups import create_editors_group
from articles.models import Article, Reviewer
from articles.models.article import add_months
from articles.reviews import sign_off
from tests.factories import ArticleFactory, CategoryFactory, ReviewerFactory, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("edna", "edna@example.com", is_staff=True)
    user.groups.add(create_editors_group())
    return user


def reviewed(*, days_ago, reviewer=None, **fields):
    """An article reviewed `days_ago` days ago."""
    return ArticleFactory(
        reviewer=reviewer or ReviewerFactory(),
        reviewed_on=timezone.localdate() - timedelta(days=days_ago),
        **fields,
    )


def test_the_article_names_its_reviewer_with_credentials_and_links_the_profile(client):
    reviewer = ReviewerFactory(name="Sam Okafor", credentials="PT, DPT", slug="sam-okafor")
    article = ArticleFactory(reviewer=reviewer, reviewed_on=date(2025, 2, 10))
    assertContains(
        client.get(article.get_absolute_url()),
        '<span class="review-credit">Medically reviewed by <a href="/reviewers/sam-okafor/">'
        'Sam Okafor, PT, DPT</a> on <time datetime="2025-02-10">Feb 10, 2025</time></span>',
        html=True,
    )


def test_a_reviewer_profile_lists_the_published_articles_they_reviewed(client):
    reviewer = ReviewerFactory(
        name="Dr Lena Park",
        credentials="MD",
        biography="Sports physician.\n\nRuns marathons.",
        profile_links="https://clinic.example/lena\nhttps://register.example/123",
    )
    ArticleFactory(title="Reviewed and public", reviewer=reviewer, reviewed_on=date(2025, 1, 1))
    ArticleFactory(
        title="Reviewed draft", reviewer=reviewer, reviewed_on=date(2025, 1, 1), draft=True
    )
    ArticleFactory(title="Someone else's", reviewer=ReviewerFactory(), reviewed_on=date(2025, 1, 1))
    response = client.get(reviewer.get_absolute_url())
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assertContains(response, "<p>Sports physician.</p>", html=True)
    assertContains(response, "<p>Runs marathons.</p>", html=True)
    assertContains(
        response,
        '<a href="https://register.example/123" rel="me noopener">https://register.example/123</a>',
        html=True,
    )
    assert "Reviewed and public" in main
    assert "Reviewed draft" not in main
    assert "Someone else" not in main
    assertNotContains(response, reviewer.email)  # reminders only, never shown
    listing = client.get(reverse("articles:reviewers"))
    assertContains(
        listing, f'<a href="{reviewer.get_absolute_url()}">Dr Lena Park, MD</a>', html=True
    )


def test_a_reviewer_profile_costs_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    reviewer = ReviewerFactory()
    for count in (2, 40):
        ArticleFactory.create_batch(count, reviewer=reviewer, reviewed_on=date(2025, 1, 1))
        with django_assert_max_num_queries(4):
            assert client.get(reviewer.get_absolute_url()).status_code == 200


def test_a_biography_cannot_put_markup_on_the_profile(client):
    reviewer = ReviewerFactory(biography='<script>alert("x")</script><b>bold</b>')
    response = client.get(reviewer.get_absolute_url())
    assertNotContains(response, "<script>alert")
    assertContains(response, "&lt;script&gt;")


def test_profile_links_must_be_https_addresses_and_the_message_names_the_line():
    reviewer = ReviewerFactory.build(
        profile_links="https://clinic.example/lena\njavascript:alert(1)"
    )
    with pytest.raises(ValidationError, match="Line 2"):
        reviewer.full_clean()


def test_a_reviewer_photo_is_stored_as_the_picture_alone(settings):
    upload = png_upload("portrait.gif")
    upload.file.seek(0, 2)
    upload.file.write(b"<script>trailing</script>")
    upload.file.seek(0)
    reviewer = ReviewerFactory(photo=upload)
    stored = reviewer.photo.read()
    assert reviewer.photo.name.endswith(".png")
    assert b"<script>" not in stored


def test_the_next_review_falls_due_after_the_category_or_the_articles_own_interval():
    quarterly = CategoryFactory(review_interval_months=3)
    default = ArticleFactory(reviewer=ReviewerFactory(), reviewed_on=date(2025, 1, 31))
    assert default.review_due_on == date(2026, 1, 31)  # 12 months unless set
    by_category = ArticleFactory(
        category=quarterly, reviewer=ReviewerFactory(), reviewed_on=date(2025, 1, 31)
    )
    assert by_category.review_due_on == date(2025, 4, 30)  # no April 31st
    own = ArticleFactory(
        category=quarterly,
        reviewer=ReviewerFactory(),
        reviewed_on=date(2025, 1, 31),
        review_interval_months=1,
    )
    assert own.review_due_on == date(2025, 2, 28)
    quarterly.review_interval_months = 6
    quarterly.save()
    by_category.refresh_from_db()
    own.refresh_from_db()
    assert by_category.review_due_on == date(2025, 7, 31)
    assert own.review_due_on == date(2025, 2, 28)
    assert ArticleFactory().review_due_on is None


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert add_months(date(2025, 8, 31), 1) == date(2025, 9, 30)


def test_changing_the_body_after_the_review_marks_it_changed_until_signed_off(editor):
    article = reviewed(days_ago=10)
    article.title = "A new title"
    article.save()
    assert not article.changed_since_review  # not the body
    article.body = "<p>New advice on stairs.</p>"
    article.save()
    article.refresh_from_db()
    assert article.changed_since_review
    assert Article.objects.review_due().filter(pk=article.pk).exists()
    sign_off(articles=Article.objects.filter(pk=article.pk), user=editor)
    article.refresh_from_db()
    assert not article.changed_since_review
    assert article.reviewed_on == timezone.localdate()


def test_recording_a_new_review_date_with_the_body_is_a_new_review():
    article = reviewed(days_ago=10)
    article.body = "<p>Checked and changed.</p>"
    article.reviewed_on = timezone.localdate()
    article.save()
    assert not article.changed_since_review
    unreviewed = ArticleFactory()
    unreviewed.body = "<p>Changed.</p>"
    unreviewed.save()
    assert not unreviewed.changed_since_review


def test_signing_off_records_who_reviewed_what_when_in_the_history(admin_client, admin_user):
    reviewer = ReviewerFactory(name="Sam Okafor", credentials="PT, DPT")
    other = ReviewerFactory(name="Dr Lena Park", credentials="MD")
    own = reviewed(days_ago=400, reviewer=reviewer, title="Own reviewer")
    chosen = reviewed(days_ago=400, reviewer=reviewer, title="Chosen reviewer")
    nobody = ArticleFactory(title="Nobody named")
    url = reverse("admin:articles_reviewdue_changelist")
    response = admin_client.post(
        url + "?review=all",
        {"action": "sign_off", ACTION_CHECKBOX_NAME: [own.pk, nobody.pk], "reviewer": ""},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "1 review(s) signed off." in messages
    assert any("Nobody named" in m and "no reviewer" in m for m in messages)
    admin_client.post(
        url + "?review=all",
        {"action": "sign_off", ACTION_CHECKBOX_NAME: [chosen.pk], "reviewer": other.pk},
    )
    today = timezone.localdate()
    for article, who in [(own, "Sam Okafor, PT, DPT"), (chosen, "Dr Lena Park, MD")]:
        article.refresh_from_db()
        assert article.reviewed_on == today
        assert article.review_due_on == add_months(today, 12)
        revision = article.history.first()
        assert revision.history_user == admin_user
        assert revision.history_change_reason == (
            f"Medical review signed off: {who}, {today:%b} {today.day}, {today.year}"
        )
    chosen.refresh_from_db()
    assert chosen.reviewer == other
    nobody.refresh_from_db()
    assert nobody.reviewed_on is None
    history = admin_client.get(reverse("admin:articles_article_history", args=[chosen.pk]))
    assertContains(history, "Medical review signed off: Dr Lena Park, MD")


def test_reviews_due_lists_overdue_first_then_due_soon_and_changed(client, editor):
    overdue = reviewed(days_ago=400, title="Overdue article")
    soon = reviewed(days_ago=350, title="Due soon article")
    changed = reviewed(days_ago=5, title="Changed article")
    changed.body = "<p>Edited.</p>"
    changed.save()
    reviewed(days_ago=5, title="Fresh article")
    ArticleFactory(title="Never reviewed article")
    client.force_login(editor)
    url = reverse("admin:articles_reviewdue_changelist")
    html = client.get(url).content.decode()
    assert "Fresh article" not in html
    assert "Never reviewed article" not in html
    assert (
        html.index("Overdue article")
        < html.index("Due soon article")
        < html.index("Changed article")
    )
    assert "Overdue by 35 days" in html
    assert "Due in 15 days" in html
    assert "changed since review" in html
    # The article's own form is where it is edited.
    response = client.get(reverse("admin:articles_reviewdue_change", args=[overdue.pk]))
    assert response["Location"] == reverse("admin:articles_article_change", args=[overdue.pk])
    assert soon.pk


def test_reviews_due_can_list_the_injury_articles_never_reviewed(admin_client, knee_symptom):
    from articles.taxonomy import tag_article

    medical = ArticleFactory(title="Knee article")
    tag_article(article=medical, symptoms=[knee_symptom])
    ArticleFactory(title="Gear article")
    url = reverse("admin:articles_reviewdue_changelist") + "?review=never"
    html = admin_client.get(url).content.decode()
    assert "Knee article" in html
    assert "Gear article" not in html


@pytest.fixture
def knee_symptom():
    from tests.factories import SymptomFactory

    return SymptomFactory(name="pain behind the kneecap")


def test_staff_see_when_the_next_review_is_due_and_readers_never_do(client, editor, settings):
    article = reviewed(days_ago=400)
    url = article.get_absolute_url()
    due = article.review_due_on
    # A reader first: the page is cached without the staff line.
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assertNotContains(first, "Next review due")
    client.force_login(editor)
    staff = client.get(url)
    assert staff["X-Page-Cache"] == "bypass"
    assertContains(staff, f'Next review due <time datetime="{due:%Y-%m-%d}">')
    assertContains(staff, "(overdue)")
    client.logout()
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assertNotContains(again, "Next review due")


def test_a_staff_render_never_reaches_a_reader(client, editor):
    """Staff render first this time (fragments filled by a staff request)."""
    article = reviewed(days_ago=10)
    client.force_login(editor)
    assertContains(client.get(article.get_absolute_url()), "Next review due")
    client.logout()
    reader = client.get(article.get_absolute_url())
    assertNotContains(reader, "Next review due")
    assertNotContains(reader, "For staff")


def test_reminders_mail_each_reviewer_the_articles_due_within_30_days(mailoutbox, settings):
    settings.SITE_URL = "https://injuries.example"
    lena = ReviewerFactory(name="Dr Lena Park", email="lena@clinic.example")
    sam = ReviewerFactory(name="Sam Okafor", email="sam@physio.example")
    silent = ReviewerFactory(name="No Address", email="")
    reviewed(days_ago=400, reviewer=lena, title="Overdue knee")
    reviewed(days_ago=350, reviewer=lena, title="Soon hip")
    reviewed(days_ago=100, reviewer=lena, title="Later heel")
    reviewed(days_ago=340, reviewer=sam, title="Sam's shin")
    reviewed(days_ago=400, reviewer=sam, title="Sam's draft", draft=True)
    reviewed(days_ago=400, reviewer=silent, title="Unaddressed")
    out = StringIO()
    call_command("review_reminders", stdout=out)
    assert "Sent 2 reminder(s) for 3 article(s)." in out.getvalue()
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"lena@clinic.example", "sam@physio.example"}
    lena_mail = by_address["lena@clinic.example"].body
    assert lena_mail.index("Overdue knee") < lena_mail.index("Soon hip")
    assert "(overdue)" in lena_mail
    assert "Later heel" not in lena_mail
    assert "https://injuries.example/" in lena_mail
    sam_mail = by_address["sam@physio.example"].body
    assert "Sam's shin" in sam_mail
    assert "Sam's draft" not in sam_mail


def test_reminders_dry_run_sends_nothing(mailoutbox):
    reviewed(days_ago=400, reviewer=ReviewerFactory(email="lena@clinic.example"))
    out = StringIO()
    call_command("review_reminders", "--dry-run", stdout=out)
    assert mailoutbox == []
    assert "Would send 1 reminder(s) for 1 article(s)." in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_reviewer_names_into_reviewer_records():
    executor = MigrationExecutor(connection)
    before = [("articles", "0012_medical_taxonomy_and_reviewers")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    category = apps.get_model("articles", "Category").objects.create(title="Knees", slug="knees")
    article_model = apps.get_model("articles", "Article")
    for slug, name in [
        ("one", "Dr Jane Smith, physiotherapist"),
        ("two", "Dr Jane Smith, physiotherapist"),
        ("three", "Sam Okafor"),
        ("four", ""),
    ]:
        article_model.objects.create(
            title=slug,
            slug=slug,
            category=category,
            body="<p>x</p>",
            reviewed_by=name,
            reviewed_on=date(2025, 1, 10) if name else None,
            published_at=timezone.now(),
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    smith = Reviewer.objects.get(name="Dr Jane Smith")
    assert smith.credentials == "physiotherapist"
    assert smith.slug == "dr-jane-smith"
    assert set(Article.objects.filter(reviewer=smith).values_list("slug", flat=True)) == {
        "one",
        "two",
    }
    assert Article.objects.get(slug="three").reviewer.name == "Sam Okafor"
    assert Article.objects.get(slug="four").reviewer is None
    assert Article.objects.get(slug="one").review_due_on == date(2026, 1, 10)


def test_review_due_and_is_review_due_state_the_same_rule():
    cases = {
        "overdue": reviewed(days_ago=400),
        "due today": reviewed(days_ago=365),
        "due in 20 days": reviewed(days_ago=345),
        "fresh": reviewed(days_ago=10),
        "never reviewed": ArticleFactory(),
    }
    changed = reviewed(days_ago=10)
    changed.body = "<p>Edited after the review.</p>"
    changed.save()
    cases["changed"] = changed
    for within, expected in [
        (0, {"overdue", "due today", "changed"}),
        (30, {"overdue", "due today", "due in 20 days", "changed"}),
    ]:
        due = set(Article.objects.review_due(within_days=within).values_list("pk", flat=True))
        assert {name for name, a in cases.items() if a.pk in due} == expected
        assert {name for name, a in cases.items() if a.is_review_due(within_days=within)} == (
            expected
        )
