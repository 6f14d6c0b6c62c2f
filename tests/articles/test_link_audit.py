"""Internal links kept by page (renaming keeps them working) and the link
audit: orphans, links that answer 404 or lead to unpublished pages, missing
image files and citations without a reference, in the admin and in
`manage.py audit_links`."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.audit import audit_links
from articles.groups import create_editors_group
from articles.models import Article, ArticleLink, Reference
from comments.groups import create_moderators_group
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db


def link_body(*hrefs):
    return (
        "<p>" + " ".join(f'<a href="{href}">link {n}</a>' for n, href in enumerate(hrefs)) + "</p>"
    )


def shown_hrefs(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('<div class="rich-text">') : html.index('class="back-to-top"')]
    return [part.split('"', 1)[0] for part in body.split('<a href="')[1:]]


def test_saving_an_article_records_its_links_to_pages_of_this_site(settings):
    settings.SITE_URL = "https://www.example.org"
    hub = CategoryFactory(slug="knee-pain")
    target = ArticleFactory(slug="runners-knee")
    source = ArticleFactory(
        body=link_body(
            "/runners-knee/",
            "https://www.example.org/knee-pain/#causes",
            "/runners-knee.html",
            "https://elsewhere.example/runners-knee/",
            "#section",
            "/search/?q=knee",
            "mailto:a@example.org",
        )
    )
    rows = {row.href: row.target for row in ArticleLink.objects.filter(article=source)}
    assert rows == {
        "/runners-knee/": target,
        "https://www.example.org/knee-pain/#causes": hub,
        "/runners-knee.html": target,
        "/search/?q=knee": None,
    }
    source.body = link_body("/knee-pain/")
    source.save()
    assert list(ArticleLink.objects.filter(article=source).values_list("href", flat=True)) == [
        "/knee-pain/"
    ]


def test_renaming_an_article_moves_the_links_to_it_without_editing_their_bodies(client):
    target = ArticleFactory(slug="itbs", title="IT band")
    source = ArticleFactory(body=link_body("/itbs/", "/itbs/#treatment"))
    body_before = source.body

    target.slug = "it-band-syndrome"
    target.save()

    assert shown_hrefs(client, source) == ["/it-band-syndrome/", "/it-band-syndrome/#treatment"]
    source.refresh_from_db()
    assert source.body == body_before  # what the editor wrote is left alone
    # Saved again, the links still follow the page (through its redirect and
    # the recorded target), and a second rename too.
    source.save()
    target.slug = "iliotibial-band-syndrome"
    target.save()
    assert shown_hrefs(client, source) == [
        "/iliotibial-band-syndrome/",
        "/iliotibial-band-syndrome/#treatment",
    ]
    assert audit_links().broken_links == []


def test_renaming_a_hub_moves_the_links_to_it(client):
    hub = CategoryFactory(slug="knees")
    source = ArticleFactory(body=link_body("/knees/"))
    hub.slug = "knee-pain"
    hub.save()
    assert shown_hrefs(client, source) == ["/knee-pain/"]
    source.save()  # no redirect for a hub: the recorded target keeps it
    assert shown_hrefs(client, source) == ["/knee-pain/"]


def test_a_link_written_with_an_old_address_is_shown_on_the_current_one(client):
    target = ArticleFactory(slug="shin-splints")
    target.slug = "medial-tibial-stress"
    target.save()  # leaves a redirect from /shin-splints/
    source = ArticleFactory(body=link_body("/shin-splints/"))
    assert shown_hrefs(client, source) == ["/medial-tibial-stress/"]
    assert ArticleLink.objects.get(article=source).target_article == target


def test_the_audit_lists_articles_nothing_links_to():
    hub = CategoryFactory(intro='<p>Start with <a href="/from-hub/">this</a>.</p>')
    linked = ArticleFactory(slug="linked", title="Linked")
    ArticleFactory(slug="from-hub", title="From hub", category=hub)
    # Its link to itself does not count.
    lonely = ArticleFactory(slug="lonely", title="Lonely", body=link_body("/lonely/", "/linked/"))
    only_a_draft_links = ArticleFactory(slug="drafted", title="Drafted")
    ArticleFactory(draft=True, body=link_body("/drafted/"))
    ArticleFactory(draft=True, title="Unpublished orphan")

    orphans = audit_links().orphans
    assert [article.title for article in orphans] == ["Drafted", "Lonely"]
    assert linked not in orphans
    assert lonely in orphans
    assert only_a_draft_links in orphans


def test_the_audit_lists_links_that_answer_404_or_lead_to_unpublished_pages():
    hub = CategoryFactory(slug="knee-pain", intro=link_body("/gone-from-hub/"))
    ArticleFactory(slug="draft", title="Draft one", draft=True)
    ArticleFactory(slug="later", title="Later one", scheduled=True)
    doomed = ArticleFactory(slug="doomed")
    moved = ArticleFactory(slug="moved-away")
    moved.slug = "moved-here"
    moved.save()
    source = ArticleFactory(
        title="Source",
        body=link_body(
            "/no-such-page/",
            "/draft/",
            "/later/",
            "/doomed/",
            "/knee-pain/",
            "/search/?q=knee",
            "/feed/",
            "/moved-away/",
            "/media/uploads/missing.pdf",
        ),
    )
    doomed.delete()
    ArticleFactory(draft=True, body=link_body("/also-missing/"))  # drafts are not audited

    report = audit_links()
    assert [(p.page, p.what, p.why) for p in report.broken_links] == [
        (source, "/no-such-page/", "No page has this address (404)."),
        (source, "/doomed/", "No page has this address (404)."),
        (source, "/media/uploads/missing.pdf", "The file is missing."),
        (hub, "/gone-from-hub/", "No page has this address (404)."),
    ]
    assert [(p.page, p.what, p.why) for p in report.unpublished_links] == [
        (source, "/draft/", "“Draft one” is a draft."),
        (source, "/later/", "“Later one” is scheduled."),
    ]
    assert report.is_broken


def test_the_audit_lists_images_whose_file_is_missing():
    kept = default_storage.save("uploads/kept.png", ContentFile(image_bytes()))
    hub = CategoryFactory(intro='<p><img src="/media/uploads/hub-gone.png" alt="x"></p>')
    article = ArticleFactory(
        title="Pictures",
        body=f'<p><img src="/media/{kept}" alt="a"><img src="/media/uploads/gone.png" alt="b">'
        '<img src="https://cdn.example/elsewhere.png" alt="c"></p>',
        with_image=True,
    )
    default_storage.delete(article.image.name)
    missing = sorted((p.page.pk, p.what) for p in audit_links().missing_images)
    assert missing == sorted(
        [
            (article.pk, "/media/uploads/gone.png"),
            (article.pk, article.image.url),
            (hub.pk, "/media/uploads/hub-gone.png"),
        ]
    )


def test_the_audit_lists_citations_without_a_reference():
    article = ArticleFactory(
        title="Cited", body="<p>One [ref 1], two [ref 2], two again [ref 2].</p>"
    )
    Reference.objects.create(article=article, number=1, citation="One.")
    assert [(p.page, p.what) for p in audit_links().uncited] == [(article, "[ref 2]")]


def test_a_clean_site_has_no_problems_and_only_orphans_are_listed():
    report = audit_links()
    assert not report.is_broken
    ArticleFactory(title="Alone")
    report = audit_links()
    assert not report.is_broken
    assert [a.title for a in report.orphans] == ["Alone"]


def run_audit(*args):
    out = io.StringIO()
    call_command("audit_links", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_report_and_fails_when_something_is_broken():
    ArticleFactory(slug="source", title="Source", body=link_body("/nowhere/"))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^The link audit found 1 problem\(s\)\.$"):
        call_command("audit_links", stdout=out)
    printed = out.getvalue()
    assert "Links that answer 404: 1\n  /source/  /nowhere/  No page has this address (404).\n" in (
        printed
    )
    assert "Orphaned articles (nothing links to them): 1\n  /source/  Source\n" in printed


def test_the_command_succeeds_with_orphans_only():
    ArticleFactory(title="Alone", slug="alone")
    printed = run_audit()
    assert "Orphaned articles (nothing links to them): 1\n  /alone/  Alone\n" in printed
    assert printed.endswith("No broken links, missing images or citations without a reference.\n")


def test_refresh_records_the_links_of_articles_loaded_in_bulk():
    ArticleFactory(slug="target")
    body = link_body("/target/", "/nowhere/") + '<p><img src="/media/uploads/gone.png" alt="x"></p>'
    article = ArticleFactory.build(body=body, slug="bulk")
    article.category.save()
    article.category_id = article.category.pk
    article.fill_derived_fields()
    Article.objects.bulk_create([article])
    assert not ArticleLink.objects.filter(article__slug="bulk").exists()
    with pytest.raises(CommandError):
        call_command("audit_links", "--refresh", stdout=io.StringIO())
    assert set(
        ArticleLink.objects.filter(article__slug="bulk").values_list(
            "kind", "href", "target_article__slug"
        )
    ) == {
        ("link", "/target/", "target"),
        ("link", "/nowhere/", None),
        ("image", "/media/uploads/gone.png", None),
    }
    assert [p.what for p in audit_links().missing_images] == ["/media/uploads/gone.png"]


@pytest.fixture
def audit_url():
    return reverse("admin:articles_article_link_audit")


def test_the_admin_report_is_for_staff_who_may_see_articles(client, audit_url, django_user_model):
    ArticleFactory(slug="source", title="Source", body=link_body("/nowhere/"))
    anonymous = client.get(audit_url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))

    moderator = django_user_model.objects.create_user("molly", is_staff=True)
    moderator.groups.add(create_moderators_group())
    client.force_login(moderator)
    assert client.get(audit_url).status_code == 403


def test_the_admin_report_lists_the_problems_for_an_editor(client, audit_url):
    editor = UserFactory(is_staff=True, article_permissions=False)
    editor.groups.add(create_editors_group())
    client.force_login(editor)
    ArticleFactory(slug="source", title="Source <b>", body=link_body("/nowhere/"))
    page = client.get(audit_url)
    assertContains(page, "1 problem found.")
    assertContains(page, "<td>/nowhere/</td><td>No page has this address (404).</td>", html=False)
    assertContains(page, "Source &lt;b&gt;")
    assertNotContains(page, "Source <b>")
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assertContains(changelist, f'href="{audit_url}"')


def test_a_link_to_a_page_written_later_finds_it_when_that_page_is_saved():
    source = ArticleFactory(slug="source", body=link_body("/later-page/", "/later-hub/#top"))
    assert [p.what for p in audit_links().broken_links] == ["/later-page/", "/later-hub/#top"]

    later = ArticleFactory(slug="later-page", title="Later page")
    hub = CategoryFactory(slug="later-hub")
    rows = {row.href: row.target for row in ArticleLink.objects.filter(article=source)}
    assert rows == {"/later-page/": later, "/later-hub/#top": hub}
    report = audit_links()
    assert report.broken_links == []
    assert later not in report.orphans
