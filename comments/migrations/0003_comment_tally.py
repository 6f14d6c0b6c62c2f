"""CommentTally: each article's number of approved comments, kept by triggers.

The triggers run in the database on every insert, delete and change of a
comment's status or article, so the tally stays right whatever writes the
comment (a form, the admin, a queryset update, an import, a cascade). The
existing comments are counted once at the end.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION comments_comment_tally() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            IF OLD.status = 'approved' THEN
                UPDATE comments_commenttally SET approved = approved - 1
                WHERE article_id = OLD.article_id;
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.status = 'approved' THEN
                INSERT INTO comments_commenttally (article_id, approved)
                VALUES (NEW.article_id, 1)
                ON CONFLICT (article_id)
                DO UPDATE SET approved = comments_commenttally.approved + 1;
            END IF;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER comments_comment_tally
    AFTER INSERT OR DELETE OR UPDATE OF status, article_id ON comments_comment
    FOR EACH ROW EXECUTE FUNCTION comments_comment_tally();
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
        "DROP TRIGGER IF EXISTS comments_comment_tally ON comments_comment",
        "DROP FUNCTION IF EXISTS comments_comment_tally()",
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
