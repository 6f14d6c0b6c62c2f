"""A ranked full-text index for SQLite: an FTS5 table over the articles.

The SQLite counterpart of 0006's stored tsvector. `articles_article_fts` is an
external-content FTS5 table: it keeps only the index of the title, excerpt and
body text (the words themselves stay in articles_article), stemmed by the
Porter stemmer so "knees" finds "knee" and "running" finds "runs". Triggers on
articles_article keep it in step with every INSERT, UPDATE of those columns and
DELETE, from the admin, bulk_create or a raw UPDATE alike; the rows already
there are indexed by FTS5's 'rebuild'. articles/search.py reads it, ranking a
word in the title above the excerpt above the body. PostgreSQL leaves this out.

SQLite drops a table's triggers with the table, and Django's SQLite schema
editor rebuilds articles_article for many changes (AlterField, AddField of a
NOT NULL column with a default, ...). A migration that does that must run
`recreate_triggers` afterwards (migrations.RunPython(recreate_triggers)), or
new and edited articles stop being found; the search tests catch it.
"""

from django.db import migrations

TABLE = """
CREATE VIRTUAL TABLE articles_article_fts USING fts5(
    title, excerpt, body_text,
    content='articles_article', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
"""

# The values a 'delete' passes must be those that were indexed: OLD.* are.
TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert
    AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, title, excerpt, body_text)
        VALUES (NEW.id, NEW.title, NEW.excerpt, NEW.body_text);
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete
    AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, excerpt, body_text)
        VALUES ('delete', OLD.id, OLD.title, OLD.excerpt, OLD.body_text);
    END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS articles_article_fts_update
    AFTER UPDATE OF id, title, excerpt, body_text ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, excerpt, body_text)
        VALUES ('delete', OLD.id, OLD.title, OLD.excerpt, OLD.body_text);
        INSERT INTO articles_article_fts(rowid, title, excerpt, body_text)
        VALUES (NEW.id, NEW.title, NEW.excerpt, NEW.body_text);
    END;
    """,
]

REBUILD = "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild');"

DROP = [
    "DROP TRIGGER IF EXISTS articles_article_fts_insert;",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete;",
    "DROP TRIGGER IF EXISTS articles_article_fts_update;",
    "DROP TABLE IF EXISTS articles_article_fts;",
]


def _execute(schema_editor, statements):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in statements:
        schema_editor.execute(statement)


def create_index(apps, schema_editor):
    _execute(schema_editor, [TABLE, *TRIGGERS, REBUILD])


def recreate_triggers(apps, schema_editor):
    """The triggers again, after a migration that rebuilt articles_article, and
    the index made again from the rows in case any changed meanwhile."""
    _execute(schema_editor, [*TRIGGERS, REBUILD])


def drop_index(apps, schema_editor):
    _execute(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_newest_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
