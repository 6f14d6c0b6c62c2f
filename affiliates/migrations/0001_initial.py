"""The affiliate models, moved here from the articles app without moving data.

Their tables were made by articles' migrations and keep their names
(Meta.db_table), so this only tells Django's migration state where the models
now live; articles 0009 takes them out of articles' state. Nothing in the
database changes (on SQLite an altered articles_article table would be rebuilt
and lose the search triggers of articles 0008).
"""

import affiliates.hosts
import core.images
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0008_article_search_index_sqlite"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already: articles 0001, 0002 and 0005 made them.
            state_operations=[
                migrations.CreateModel(
                    name="AffiliateLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                help_text="A name for you and other editors, e.g. “Knee sleeve (Amazon)”. Readers never see it.",
                                max_length=200,
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                help_text="The link's address on this site: /go/slug/. Link text to that address in the editor. Once articles use the link, the slug cannot change.",
                                max_length=100,
                                unique=True,
                            ),
                        ),
                        (
                            "destination_url",
                            models.URLField(
                                help_text="Where the reader is sent: the merchant's page, starting with https://. Only hosts on the site's affiliate allow-list are accepted (Amazon's stores by default).",
                                max_length=2000,
                                validators=[affiliates.hosts.validate_affiliate_destination],
                                verbose_name="destination",
                            ),
                        ),
                        (
                            "merchant",
                            models.CharField(
                                blank=True,
                                help_text="The affiliate programme or shop, e.g. “Amazon Associates”.",
                                max_length=100,
                                verbose_name="programme or merchant",
                            ),
                        ),
                        (
                            "tracking_tag",
                            models.CharField(
                                blank=True,
                                help_text="Your tracking ID with the programme, e.g. “mysite-20”. It is added to the destination's query string when the destination does not already carry it.",
                                max_length=100,
                            ),
                        ),
                        (
                            "tracking_parameter",
                            models.CharField(
                                default="tag",
                                help_text="The name of the query parameter that carries the tracking ID. Amazon uses “tag”.",
                                max_length=30,
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("text", "Text link"), ("banner", "Banner")],
                                default="text",
                                help_text="A text link is placed by linking words in an article; a banner is chosen in an article's banner slots.",
                                max_length=10,
                            ),
                        ),
                        (
                            "banner_image",
                            models.ImageField(
                                blank=True,
                                height_field="banner_height",
                                help_text="The banner picture (JPEG, PNG, WebP or GIF). Required for banners.",
                                upload_to="banners/%Y/%m/",
                                validators=[core.images.validate_image_file],
                                width_field="banner_width",
                            ),
                        ),
                        (
                            "banner_alt",
                            models.CharField(
                                blank=True,
                                help_text="What the banner says or shows, for readers who cannot see it, e.g. “Amazon Outlet: running gear deals”. Required for banners.",
                                max_length=200,
                                verbose_name="banner alt text",
                            ),
                        ),
                        (
                            "banner_width",
                            models.PositiveIntegerField(
                                blank=True,
                                editable=False,
                                help_text="Taken from the image.",
                                null=True,
                            ),
                        ),
                        (
                            "banner_height",
                            models.PositiveIntegerField(
                                blank=True,
                                editable=False,
                                help_text="Taken from the image.",
                                null=True,
                            ),
                        ),
                        (
                            "is_active",
                            models.BooleanField(
                                default=True,
                                help_text="Untick when an offer ends: readers who follow the link then get a page saying so, with a way back to the article, and banners stop showing.",
                                verbose_name="active",
                            ),
                        ),
                        (
                            "is_direct",
                            models.BooleanField(
                                default=False,
                                help_text="Link straight to the destination instead of through /go/ (some programmes, Amazon among them, prefer their links unhidden). Clicks are then counted by the browser's ping, which some browsers leave out, so counts may be lower.",
                                verbose_name="direct link",
                            ),
                        ),
                        (
                            "notes",
                            models.TextField(
                                blank=True, help_text="Anything worth remembering about this link."
                            ),
                        ),
                        (
                            "health",
                            models.CharField(
                                choices=[
                                    ("unchecked", "Not checked yet"),
                                    ("ok", "Working"),
                                    ("broken", "Broken"),
                                    ("unknown", "Could not check"),
                                ],
                                default="unchecked",
                                editable=False,
                                max_length=10,
                            ),
                        ),
                        (
                            "checked_at",
                            models.DateTimeField(
                                blank=True, editable=False, null=True, verbose_name="last checked"
                            ),
                        ),
                        (
                            "check_status_code",
                            models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
                        ),
                        (
                            "check_final_url",
                            models.URLField(blank=True, editable=False, max_length=2000),
                        ),
                        (
                            "check_elapsed_ms",
                            models.PositiveIntegerField(blank=True, editable=False, null=True),
                        ),
                        (
                            "check_message",
                            models.CharField(blank=True, editable=False, max_length=300),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "affiliate link",
                        "db_table": "articles_affiliatelink",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="AffiliateClick",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("clicked_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "via",
                            models.CharField(
                                choices=[
                                    ("redirect", "Redirect through /go/"),
                                    ("ping", "Ping from a direct link"),
                                ],
                                default="redirect",
                                max_length=10,
                            ),
                        ),
                        (
                            "from_article",
                            models.ForeignKey(
                                blank=True,
                                help_text="The article whose link was clicked, when known.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="affiliate_clicks",
                                to="articles.article",
                            ),
                        ),
                        (
                            "link",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="clicks",
                                to="affiliates.affiliatelink",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "affiliate click",
                        "db_table": "articles_affiliateclick",
                        "ordering": ["-clicked_at"],
                        "indexes": [
                            models.Index(
                                fields=["link", "clicked_at"], name="affiliate_click_link_time_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ArticleAffiliateLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "placement",
                            models.CharField(
                                choices=[
                                    ("body", "In the text"),
                                    ("after_intro", "Banner after the intro"),
                                    ("sidebar", "Banner in the sidebar"),
                                ],
                                max_length=12,
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="affiliate_usages",
                                to="articles.article",
                            ),
                        ),
                        (
                            "link",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="usages",
                                to="affiliates.affiliatelink",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "use in an article",
                        "verbose_name_plural": "uses in articles",
                        "db_table": "articles_articleaffiliatelink",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "link", "placement"),
                                name="unique_affiliate_usage",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
