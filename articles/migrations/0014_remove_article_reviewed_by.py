import importlib

from django.db import migrations


# On SQLite, changing articles_article's columns rebuilds the table, which
# drops the search index's triggers (see 0008): they are made again last.
search_index = importlib.import_module("articles.migrations.0008_article_search_index_sqlite")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_reviewers_from_names"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="reviewed_by"),
        migrations.RemoveField(model_name="historicalarticle", name="reviewed_by"),
        migrations.RunPython(search_index.recreate_triggers, migrations.RunPython.noop),
    ]
