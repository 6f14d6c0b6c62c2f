"""Keep what pages need from an article body, made when it is saved
(articles.rendering): the table of contents, every link with where it sits in
body_html, and where the intro ends and its banner goes.

Existing rows get them from their stored body_html, in batches. On SQLite,
adding NOT NULL columns rebuilds articles_article, which drops the search
index's triggers (see 0008): they are made again afterwards.
"""

import importlib

from django.db import migrations, models

from articles.rendering import layout_of_html

search_index = importlib.import_module("articles.migrations.0008_article_search_index_sqlite")
BATCH = 500


def fill_layout(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    rows = Article.objects.using(schema_editor.connection.alias).only("pk", "body_html")
    batch = []
    for article in rows.order_by("pk").iterator(chunk_size=BATCH):
        headings, links, intro_end, banner_at = layout_of_html(article.body_html)
        article.headings, article.links = headings, links
        article.intro_end, article.banner_at = intro_end, banner_at
        batch.append(article)
        if len(batch) == BATCH:
            _save(Article, batch, schema_editor)
            batch = []
    _save(Article, batch, schema_editor)


def _save(Article, batch, schema_editor):
    fields = ["headings", "links", "intro_end", "banner_at"]
    Article.objects.using(schema_editor.connection.alias).bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_affiliate_models_move_to_affiliates"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="banner_at",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Where in body_html the banner after the intro goes.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="headings",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="The body's h2 and h3 headings as [level, id, text], for the table of contents.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="intro_end",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Where body_html's intro ends: its first h2."
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="links",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Every link in body_html as [address, start, end of its start tag, end]: where it points (this site's pages, /go/ links, shops) and where it sits.",
            ),
        ),
        migrations.RunPython(search_index.recreate_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill_layout, migrations.RunPython.noop),
    ]
