"""A stored, GIN-indexed search document for PostgreSQL.

The column exists on every database so the model is the same everywhere; on
PostgreSQL a trigger fills it from the title (weight A), excerpt (B) and body
text (C) whenever one of them is written, by the admin, a bulk insert or an
UPDATE alike, and a GIN index serves `@@` queries. SQLite leaves it empty and
searches with LIKE (ArticleQuerySet.search).
"""

import django.contrib.postgres.search
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION articles_article_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.excerpt, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body_text, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER articles_article_search_document
BEFORE INSERT OR UPDATE OF title, excerpt, body_text ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_search_document();
"""

# Touching the title fires the trigger for the rows already there.
BACKFILL = "UPDATE articles_article SET title = title;"

INDEX = (
    "CREATE INDEX article_search_document_idx ON articles_article "
    "USING gin (search_document);"
)

REVERSE_STATEMENTS = [
    "DROP INDEX IF EXISTS article_search_document_idx;",
    "DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article;",
    "DROP FUNCTION IF EXISTS articles_article_search_document();",
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_banner_image_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        PostgreSQLOnly(sql=[FUNCTION, TRIGGER, BACKFILL, INDEX], reverse_sql=REVERSE_STATEMENTS),
    ]
