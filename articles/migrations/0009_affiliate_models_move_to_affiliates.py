"""The affiliate models left this app for the affiliates app (affiliates 0001).

State only: the tables keep their names and the banner columns of
articles_article keep their foreign keys, which point at the same table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("affiliates", "0001_initial"),
        ("articles", "0008_article_search_index_sqlite"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: articles_article must not be altered (see affiliates 0001).
            state_operations=[
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="banner_sidebar",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="A banner shown at the top of the sidebar, beside this article only.",
                        limit_choices_to={"kind": "banner"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="affiliates.affiliatelink",
                    ),
                ),
                migrations.RemoveField(
                    model_name="articleaffiliatelink",
                    name="link",
                ),
                migrations.AlterField(
                    model_name="historicalarticle",
                    name="banner_after_intro",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="A banner shown after the article's intro. The intro is everything before the first heading (h2); when it contains a NOTE call-out (a paragraph styled “note”), the banner goes right after that call-out instead. Without any heading it ends the text.",
                        limit_choices_to={"kind": "banner"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="affiliates.affiliatelink",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="banner_after_intro",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="A banner shown after the article's intro. The intro is everything before the first heading (h2); when it contains a NOTE call-out (a paragraph styled “note”), the banner goes right after that call-out instead. Without any heading it ends the text.",
                        limit_choices_to={"kind": "banner"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="articles_after_intro",
                        to="affiliates.affiliatelink",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="banner_sidebar",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="A banner shown at the top of the sidebar, beside this article only.",
                        limit_choices_to={"kind": "banner"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="articles_in_sidebar",
                        to="affiliates.affiliatelink",
                    ),
                ),
                migrations.RemoveField(
                    model_name="articleaffiliatelink",
                    name="article",
                ),
                migrations.DeleteModel(
                    name="AffiliateClick",
                ),
                migrations.DeleteModel(
                    name="AffiliateLink",
                ),
                migrations.DeleteModel(
                    name="ArticleAffiliateLink",
                ),
            ],
            database_operations=[],
        ),
    ]
