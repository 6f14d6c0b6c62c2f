from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_reviewers_from_names"),
    ]

    operations = [
        migrations.RemoveField(model_name="article", name="reviewed_by"),
        migrations.RemoveField(model_name="historicalarticle", name="reviewed_by"),
    ]
