"""References, the link table, and the “Was this page helpful?” counts.

Schema only. Existing bodies have no [ref N] markers, so `citations` starts
empty; `manage.py audit_links --refresh` records existing articles' links
and images once. On SQLite, adding the column rebuilds articles_article,
which drops the search index's triggers (see 0008): they are made again
afterwards.
"""

import importlib

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

search_index = importlib.import_module("articles.migrations.0008_article_search_index_sqlite")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_remove_article_reviewed_by'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='citations',
            field=models.JSONField(blank=True, default=list, editable=False, help_text='Every [ref N] citation in the body as [N, id of its link], in order: the References list links back to each.'),
        ),
        migrations.CreateModel(
            name='ArticleLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('link', 'Link'), ('image', 'Image')], default='link', max_length=5)),
                ('href', models.CharField(help_text="The address as written in the body (an image's src).", max_length=2000)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outgoing_links', to='articles.article')),
                ('target_article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='incoming_links', to='articles.article')),
                ('target_category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='incoming_links', to='articles.category')),
            ],
            options={
                'ordering': ['article', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HelpfulComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_helpful', models.BooleanField(verbose_name='found it helpful')),
                ('text', models.TextField(max_length=500)),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='sent')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='helpful_comments', to='articles.article')),
            ],
            options={
                'verbose_name': 'reader feedback',
                'verbose_name_plural': 'reader feedback',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='HelpfulDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(help_text="The day, in the site's time zone.")),
                ('yes', models.PositiveIntegerField(default=0, verbose_name='helpful')),
                ('no', models.PositiveIntegerField(default=0, verbose_name='not helpful')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='helpful_days', to='articles.article')),
            ],
            options={
                'verbose_name': 'helpfulness count',
                'ordering': ['-day', 'article'],
                'constraints': [models.UniqueConstraint(fields=('article', 'day'), name='helpful_day_once_per_article')],
            },
        ),
        migrations.CreateModel(
            name='Reference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(help_text='Cite this source in the body by typing [ref 1] (with this number) where the claim it supports ends. References are listed in number order under the article.')),
                ('citation', models.TextField(help_text='The source as readers should find it, as plain text: authors, title, journal or publisher, year. E.g. “Smith J, Lee K. Iliotibial band syndrome in runners. J Sports Med. 2021;12:45–51.”', max_length=1000)),
                ('url', models.URLField(blank=True, help_text='Optional: where the source can be read (an http or https address).', max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='link')),
                ('accessed_on', models.DateField(blank=True, help_text='Optional: the day you last checked the link, shown as “Accessed …”.', null=True, verbose_name='accessed')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='references', to='articles.article')),
            ],
            options={
                'ordering': ['article', 'number'],
                'constraints': [models.UniqueConstraint(fields=('article', 'number'), name='reference_number_once_per_article', violation_error_message='Each reference of an article needs its own number.')],
            },
        ),
        migrations.RunPython(search_index.recreate_triggers, migrations.RunPython.noop),
    ]
