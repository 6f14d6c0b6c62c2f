"""Every write that touches more than one row is all or nothing.

Each test forces a failure after the first write, by making a Django or
library function that the write calls later raise, and checks that nothing
of it is left. E-mail is sent after the commit, and a mail server that is
down never turns a stored comment or approval into a server error.
"""

import smtplib
import time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site, SiteManager
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from affiliates.models import AffiliateLink, ArticleAffiliateLink
from articles import publishing, redirects
from articles.models import Article, Category
from comments.disqus import import_export
from comments.groups import create_moderators_group
from comments.models import Comment
from comments.moderation import change_status
from comments.tokens import make_form_token
from tests.factories import AffiliateLinkFactory, ArticleFactory, CommentFactory

DISQUS_EXPORT = Path(__file__).parents[1] / "comments" / "data" / "disqus-export.xml"


class Boom(Exception):
    """The failure a test forces halfway through a write."""


def fail_on_call(monkeypatch, owner, name, *, number):
    """Make `owner.name` raise Boom on its `number`-th call (and work otherwise)."""
    original = getattr(owner, name)
    calls = 0

    def failing(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == number:
            raise Boom(f"{name} failed on call {number}")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)


@pytest.fixture
def mail_server_down(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)


def rows():
    """Every row a write of the articles or comments apps could have left."""
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in (Article, Article.history.model, Category, AffiliateLink)
        + (ArticleAffiliateLink, Comment, Redirect)
    }


@pytest.mark.django_db(transaction=True)
def test_a_comment_posted_while_the_mail_server_is_down_is_stored_and_the_reader_thanked(
    client, settings, mail_server_down
):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderator@example.com"]
    article = ArticleFactory()
    token = make_form_token(article, rendered_at=time.time() - 60)

    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Ann", "email": "ann@example.com", "text": "Ice helped.", "token": token},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_an_approval_whose_reply_email_fails_is_kept_and_the_moderator_told_it_worked(
    client, django_user_model, mail_server_down
):
    parent = CommentFactory(email="maria@example.com", reply_emails_enabled=True)
    reply = CommentFactory(article=parent.article, parent=parent, pending=True)
    moderator = django_user_model.objects.create_user("molly", is_staff=True)
    moderator.groups.add(create_moderators_group())
    client.force_login(moderator)

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [reply.pk]},
        follow=True,
    )

    assert "1 comment approved." in response.content.decode()
    reply.refresh_from_db()
    assert reply.is_approved


@pytest.mark.django_db
def test_approving_in_bulk_is_all_or_nothing(monkeypatch):
    pending = CommentFactory.create_batch(3, pending=True)
    fail_on_call(monkeypatch, timezone, "now", number=2)

    with pytest.raises(Boom):
        change_status(
            comments=Comment.objects.filter(pk__in=[c.pk for c in pending]), status="approved"
        )

    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not Comment.objects.filter(approved_at__isnull=False).exists()


@pytest.mark.django_db
def test_saving_an_article_is_all_or_nothing(monkeypatch):
    """The row, its revision, the redirect from its old address and its
    affiliate-link usage are written together or not at all."""
    AffiliateLinkFactory(slug="knee-sleeve")
    article = ArticleFactory(slug="old-address", title="Old title")
    before = rows()
    article = Article.objects.get(pk=article.pk)
    article.slug, article.title = "new-address", "New title"
    article.body = '<p>A <a href="/go/knee-sleeve/">sleeve</a>.</p>'
    fail_on_call(monkeypatch, QuerySet, "bulk_create", number=1)

    with pytest.raises(Boom):
        article.save()

    assert rows() == before


@pytest.mark.django_db
def test_a_rename_that_fails_leaves_earlier_redirects_as_they_were(monkeypatch):
    article = ArticleFactory(slug="second-name")
    Redirect.objects.create(
        site=Site.objects.get_current(), old_path="/first-name/", new_path="/second-name/"
    )
    before = rows()
    article = Article.objects.get(pk=article.pk)
    article.slug = "third-name"
    # Fails after the new row is written, as the rows sent to the old address are repointed.
    fail_on_call(monkeypatch, redirects, "repoint_redirects_to", number=1)

    with pytest.raises(Boom):
        article.save()

    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_publishing_or_unpublishing_several_articles_is_all_or_nothing(monkeypatch, action):
    articles = ArticleFactory.create_batch(3, draft=action == "publish")
    before = rows()
    fail_on_call(monkeypatch, HistoricalRecords, "create_historical_record", number=2)

    with pytest.raises(Boom):
        getattr(publishing, action)(
            articles=Article.objects.filter(pk__in=[a.pk for a in articles])
        )

    assert rows() == before


@pytest.mark.django_db
def test_saving_an_affiliate_link_and_the_articles_that_use_it_is_all_or_nothing(monkeypatch):
    ArticleFactory(body='<p><a href="/go/foam-roller/">roller</a></p>')
    ArticleFactory(body='<p>A <a href="/go/foam-roller/">foam roller</a>.</p>')
    before = rows()
    fail_on_call(monkeypatch, QuerySet, "get_or_create", number=2)

    with pytest.raises(Boom):
        AffiliateLinkFactory(slug="foam-roller")

    assert rows() == before


@pytest.mark.django_db
def test_a_disqus_import_that_fails_halfway_imports_nothing(monkeypatch):
    for slug in ("runners-knee", "it-band-syndrome", "shin-splints"):
        ArticleFactory(slug=slug)
    before = rows()
    # The last step: the rows are stored, the replies' parents are being set.
    fail_on_call(monkeypatch, QuerySet, "bulk_update", number=1)

    with pytest.raises(Boom):
        import_export(source=str(DISQUS_EXPORT))

    assert rows() == before


@pytest.mark.django_db
def test_a_demo_load_that_fails_at_its_last_step_loads_nothing(monkeypatch):
    before = rows()
    fail_on_call(monkeypatch, SiteManager, "get_current", number=1)

    with pytest.raises(Boom):
        call_command("load_demo", stdout=StringIO())

    assert rows() == before
