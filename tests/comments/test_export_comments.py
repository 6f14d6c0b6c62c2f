"""manage.py export_comments: every comment out again, as Disqus XML or JSON."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

START = datetime(2019, 5, 4, 9, 30, 15, tzinfo=UTC)


@pytest.fixture
def site(settings):
    """Two articles with threads of replies, and comments of every status."""
    settings.SITE_URL = "https://injuries.example"
    knee = ArticleFactory(slug="runners-knee", title="Runner's knee")
    shins = ArticleFactory(slug="shin-splints", title="Shin splints & calves")
    ArticleFactory(slug="no-comments")
    question = CommentFactory(
        article=knee,
        name="Zoë",
        email="zoe@example.com",
        text="Stairs hurt <b>more</b> than running & hills.\nWhy?\n\nSecond paragraph.",
        created_at=START,
        ip="198.51.100.4",
    )
    answer = CommentFactory(
        article=knee, parent=question, name="Physio", created_at=START + timedelta(hours=1)
    )
    CommentFactory(
        article=knee,
        parent=answer,
        name="Zoë",
        email="zoe@example.com",
        text="Thanks, see https://example.com/knee.",
        created_at=START + timedelta(hours=2, microseconds=250),
        ip="2001:db8::7",
    )
    CommentFactory(article=knee, pending=True, name="Waiting", created_at=START, approved_at=None)
    CommentFactory(article=shins, spam=True, name="Spammer", created_at=START, approved_at=None)
    CommentFactory(article=shins, removed=True, name="Removed", created_at=START, approved_at=None)
    CommentFactory(article=shins, name="Imported once", disqus_id="4711", created_at=START)
    return knee, shins


def snapshot():
    """Each comment as a reader and a moderator know it, with its parent's."""
    return sorted(
        (
            c.article.slug,
            c.name,
            c.email,
            c.text,
            c.status,
            c.created_at,
            c.ip,
            (c.parent.name, c.parent.text) if c.parent else None,
        )
        for c in Comment.objects.select_related("article", "parent")
    )


def export(*args):
    out = StringIO()
    call_command("export_comments", *args, stdout=out)
    return out.getvalue()


def test_a_disqus_export_imported_into_an_empty_site_gives_back_the_same_comments(site, tmp_path):
    before = snapshot()
    path = tmp_path / "comments.xml"
    call_command("export_comments", "--format", "disqus", str(path), stderr=StringIO())
    Comment.objects.all().delete()

    output = StringIO()
    call_command("import_disqus", str(path), "--include-hidden", stdout=output)

    assert snapshot() == before
    assert "Imported: 7" in output.getvalue()
    assert Comment.objects.get(name="Imported once").disqus_id == "4711"


def test_without_include_hidden_the_import_leaves_spam_and_removed_comments_out(site, tmp_path):
    path = tmp_path / "comments.xml"
    call_command("export_comments", str(path), stderr=StringIO())
    Comment.objects.all().delete()

    call_command("import_disqus", str(path), stdout=StringIO())

    assert set(Comment.objects.values_list("status", flat=True)) == {"approved", "pending"}
    assert Comment.objects.count() == 5


def test_the_disqus_export_names_each_thread_by_its_address_title_and_identifier(site):
    knee, _ = site
    xml = export("--format", "disqus")

    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus')
    assert (
        f'<thread dsq:id="{knee.pk}"><id>runners-knee</id><forum>injuries.example</forum>'
        '<category dsq:id="1"/><link>https://injuries.example/runners-knee/</link>'
        "<title>Runner's knee</title>"
    ) in xml
    assert "<title>Shin splints &amp; calves</title>" in xml
    assert "no-comments" not in xml
    assert (
        "<message><![CDATA[<p>Stairs hurt &lt;b&gt;more&lt;/b&gt; than running &amp; hills.<br>"
        "Why?</p><p>Second paragraph.</p>]]></message>"
        "<createdAt>2019-05-04T09:30:15Z</createdAt>"
        "<isDeleted>false</isDeleted><isSpam>false</isSpam><isApproved>true</isApproved>"
        "<author><name>Zoë</name><email>zoe@example.com</email>"
    ) in xml
    assert "<createdAt>2019-05-04T11:30:15.000250Z</createdAt>" in xml


def test_the_json_export_has_threads_and_comments_with_parents_and_statuses(site):
    knee, shins = site
    data = json.loads(export("--format", "json"))

    assert data["format"] == "injurysite-comments"
    assert data["site"] == "https://injuries.example"
    assert data["threads"] == [
        {
            "id": knee.pk,
            "url": "https://injuries.example/runners-knee/",
            "title": "Runner's knee",
            "identifier": "runners-knee",
        },
        {
            "id": shins.pk,
            "url": "https://injuries.example/shin-splints/",
            "title": "Shin splints & calves",
            "identifier": "shin-splints",
        },
    ]
    comments = {item["name"] + item["status"]: item for item in data["comments"]}
    question = Comment.objects.get(name="Zoë", parent=None)
    assert comments["Physioapproved"]["parent"] == question.pk
    assert comments["Physioapproved"]["thread"] == knee.pk
    assert comments["Zoëapproved"]["ip"] in ("198.51.100.4", "2001:db8::7")
    assert comments["Spammerspam"]["thread"] == shins.pk
    assert {item["status"] for item in data["comments"]} == {
        "approved",
        "pending",
        "spam",
        "removed",
    }
    first = next(item for item in data["comments"] if item["id"] == question.pk)
    assert first == {
        "id": question.pk,
        "disqus_id": "",
        "thread": knee.pk,
        "parent": None,
        "name": "Zoë",
        "email": "zoe@example.com",
        "website": "",
        "text": question.text,
        "status": "approved",
        "created_at": "2019-05-04T09:30:15Z",
        "ip": "198.51.100.4",
    }


def test_an_existing_output_file_is_never_overwritten(site, tmp_path):
    path = tmp_path / "comments.xml"
    path.write_text("the owner's earlier export")

    with pytest.raises(CommandError, match="comments.xml exists already"):
        call_command("export_comments", str(path))
    assert path.read_text() == "the owner's earlier export"


def test_the_export_reads_the_comments_in_a_few_queries_however_many_there_are(
    site, django_assert_max_num_queries
):
    knee, _ = site
    CommentFactory.create_batch(40, article=knee)
    with django_assert_max_num_queries(4):
        xml = export()
    assert xml.count("<post ") == 47
