"""The affiliate models' content types follow them from articles to affiliates.

Permissions (the Editors group's among them) and the admin's log entries
point at a content type, so renaming its app label keeps them all. A
database made before the content types existed has nothing to rename:
Django makes them under "affiliates" after migrating.
"""

from django.db import migrations

MODELS = ["affiliatelink", "affiliateclick", "articleaffiliatelink"]


def relabel(apps, old, new):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    taken = set(content_types.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    content_types.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, "articles", "affiliates")


def backwards(apps, schema_editor):
    relabel(apps, "affiliates", "articles")


class Migration(migrations.Migration):
    dependencies = [
        ("affiliates", "0001_initial"),
        ("articles", "0009_affiliate_models_move_to_affiliates"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
