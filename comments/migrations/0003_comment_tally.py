"""CommentTally: each article's number of approved comments, kept by triggers.

The triggers run in the database on every insert, delete and change of a
comment's status or article, so the tally stays right whatever writes the
comment (a form, the admin, a queryset update, an import, a cascade). The
existing comments are counted once at the end.
"""

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: statement-level triggers over transition tables, so a statement
# that writes many comments (a bulk insert, an admin action, deleting an
# archive) changes each article's tally once, not once per comment: row
# triggers made a 1,000,000-comment DELETE walk ever longer chains of row
# versions of the same few tally rows.
_APPLY_DELTA = """
    INSERT INTO comments_commenttally (article_id, approved)
    SELECT article_id, SUM(change) FROM ({changes}) AS changes
    GROUP BY article_id HAVING SUM(change) <> 0
    ON CONFLICT (article_id)
    DO UPDATE SET approved = comments_commenttally.approved + EXCLUDED.approved;
"""
_ADDED = "SELECT article_id, 1 AS change FROM new_rows WHERE status = 'approved'"
_REMOVED = "SELECT article_id, -1 AS change FROM old_rows WHERE status = 'approved'"
_FUNCTION = """
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        {body}
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
"""
POSTGRESQL = [
    _FUNCTION.format(name="comments_tally_insert", body=_APPLY_DELTA.format(changes=_ADDED)),
    _FUNCTION.format(name="comments_tally_delete", body=_APPLY_DELTA.format(changes=_REMOVED)),
    _FUNCTION.format(
        name="comments_tally_update",
        body=_APPLY_DELTA.format(changes=f"{_REMOVED} UNION ALL {_ADDED}"),
    ),
    """
    CREATE TRIGGER comments_tally_insert AFTER INSERT ON comments_comment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_tally_insert();
    """,
    """
    CREATE TRIGGER comments_tally_delete AFTER DELETE ON comments_comment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_tally_delete();
    """,
    """
    CREATE TRIGGER comments_tally_update AFTER UPDATE ON comments_comment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_tally_update();
    """,
]

SQLITE = [
    """
    CREATE TRIGGER comments_comment_tally_insert AFTER INSERT ON comments_comment
    WHEN NEW.status = 'approved'
    BEGIN
        INSERT INTO comments_commenttally (article_id, approved) VALUES (NEW.article_id, 1)
        ON CONFLICT (article_id) DO UPDATE SET approved = approved + 1;
    END;
    """,
    """
    CREATE TRIGGER comments_comment_tally_delete AFTER DELETE ON comments_comment
    WHEN OLD.status = 'approved'
    BEGIN
        UPDATE comments_commenttally SET approved = approved - 1 WHERE article_id = OLD.article_id;
    END;
    """,
    """
    CREATE TRIGGER comments_comment_tally_update AFTER UPDATE OF status, article_id
    ON comments_comment
    BEGIN
        UPDATE comments_commenttally SET approved = approved - 1
        WHERE OLD.status = 'approved' AND article_id = OLD.article_id;
        INSERT INTO comments_commenttally (article_id, approved)
        SELECT NEW.article_id, 1 WHERE NEW.status = 'approved'
        ON CONFLICT (article_id) DO UPDATE SET approved = approved + 1;
    END;
    """,
]

COUNT_EXISTING = """
INSERT INTO comments_commenttally (article_id, approved)
SELECT article_id, COUNT(*) FROM comments_comment WHERE status = 'approved' GROUP BY article_id
"""

DROP = {
    "postgresql": [
        statement
        for action in ("insert", "delete", "update")
        for statement in (
            f"DROP TRIGGER IF EXISTS comments_tally_{action} ON comments_comment",
            f"DROP FUNCTION IF EXISTS comments_tally_{action}()",
        )
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS comments_comment_tally_insert",
        "DROP TRIGGER IF EXISTS comments_comment_tally_delete",
        "DROP TRIGGER IF EXISTS comments_comment_tally_update",
    ],
}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"comment tally triggers are written for PostgreSQL and SQLite, not {vendor}")
    for statement in [*statements, COUNT_EXISTING]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_article_search_document"),
        ("comments", "0002_moderators_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentTally",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="comment_tally",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("approved", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
