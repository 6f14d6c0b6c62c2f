"""A database made while the affiliate models lived in the articles app keeps
every row, permission and admin log entry when it is migrated to the
affiliates app, and the migrations leave articles_article alone.

The database is taken back to the migrations of that time (articles 0008, no
affiliates app), filled through the models as they were then, and migrated
forward again, as `manage.py migrate` does on a deploy.
"""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from affiliates.models import AffiliateClick, AffiliateLink, ArticleAffiliateLink
from articles.models import Article

BEFORE = ("articles", "0008_article_search_index_sqlite")


def sqlite_triggers():
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def fill_the_old_tables(apps):
    """What a site had before the move: a link its article uses, clicks, an
    editor allowed to change links, and the admin's record of an addition."""
    category = apps.get_model("articles", "Category").objects.create(title="Knee", slug="knee")
    article = apps.get_model("articles", "Article").objects.create(
        title="Runner's knee",
        slug="runners-knee",
        category=category,
        body='<p><a href="/go/knee-sleeve/">A knee sleeve</a></p>',
        status="published",
    )
    link = apps.get_model("articles", "AffiliateLink").objects.create(
        name="Knee sleeve", slug="knee-sleeve", destination_url="https://www.amazon.com/dp/B01"
    )
    apps.get_model("articles", "ArticleAffiliateLink").objects.create(
        article=article, link=link, placement="body"
    )
    clicks = apps.get_model("articles", "AffiliateClick").objects
    clicks.create(link=link, from_article=article, via="redirect")
    clicks.create(link=link, via="ping")

    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="articles", model="affiliatelink"
    )
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type,
        codename="change_affiliatelink",
        defaults={"name": "Can change affiliate link"},
    )
    group = apps.get_model("auth", "Group").objects.create(name="Link keepers")
    group.permissions.add(permission)
    editor = apps.get_model("auth", "User").objects.create(username="editor", is_staff=True)
    editor.groups.add(group)
    apps.get_model("admin", "LogEntry").objects.create(
        user=editor,
        content_type=content_type,
        object_id=str(link.pk),
        object_repr=link.name,
        action_flag=ADDITION,
    )
    return article.pk, link.pk


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_links_clicks_and_permissions():
    triggers = sqlite_triggers()
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    leaves = graph.leaf_nodes()
    # Apps made after the move (their migrations need a later articles) go too.
    before_move = set(graph.forwards_plan(BEFORE))
    later = {
        leaf[0]
        for leaf in leaves
        if leaf[0] not in {"affiliates", "articles"}
        and any(
            app == "articles" and (app, name) not in before_move
            for app, name in graph.forwards_plan(leaf)
        )
    }
    before = [node for node in leaves if node[0] not in {"affiliates", "articles", *later}]
    before.append(BEFORE)
    executor.migrate([("affiliates", None), *[(app, None) for app in later], *before])
    executor.loader.build_graph()
    assert ("affiliates", "0001_initial") not in executor.loader.applied_migrations
    article_pk, link_pk = fill_the_old_tables(executor.loader.project_state(before).apps)

    executor.loader.build_graph()
    executor.migrate(leaves)

    link = AffiliateLink.objects.get(pk=link_pk)
    article = Article.objects.get(pk=article_pk)
    assert link.slug == "knee-sleeve"
    assert list(ArticleAffiliateLink.objects.values_list("article", "link", "placement")) == [
        (article.pk, link.pk, "body")
    ]
    assert sorted(link.clicks.values_list("via", flat=True)) == ["ping", "redirect"]
    assert list(article.affiliate_clicks.all()) == [AffiliateClick.objects.get(via="redirect")]

    editor = User.objects.get(username="editor")
    assert editor.has_perm("affiliates.change_affiliatelink")
    entry = LogEntry.objects.get()
    assert entry.get_edited_object() == link
    assert entry.get_admin_url() == f"/admin/affiliates/affiliatelink/{link.pk}/change/"
    # State-only migrations: the search index's triggers on articles_article survive.
    assert sqlite_triggers() == triggers
