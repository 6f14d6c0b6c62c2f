"""The moderators' tools: site-team replies (who wrote them, pinned), the
"tell me when it is published" e-mail, and the record of used signed links.

On SQLite, adding NOT NULL columns rebuilds comments_comment, which drops the
tally triggers of 0003 with the old table: they are made again afterwards
(PostgreSQL adds the columns in place and keeps them), and again when the
migration is undone.
"""

import importlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


tally = importlib.import_module("comments.migrations.0003_comment_tally")


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*tally.DROP["sqlite"], *tally.SQLITE]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0005_comment_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Undoing this migration rebuilds the table again: this runs last then.
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers, elidable=False),
        migrations.AddField(
            model_name='comment',
            name='is_pinned',
            field=models.BooleanField(default=False, help_text="Shown first among the replies to the comment it answers (or, for a comment on the article itself, at the top of the article's comments).", verbose_name='pinned'),
        ),
        migrations.AddField(
            model_name='comment',
            name='is_staff_reply',
            field=models.BooleanField(default=False, editable=False, help_text="Written in the admin by the site's team; shown with a “Site team” badge.", verbose_name='site team reply'),
        ),
        migrations.AddField(
            model_name='comment',
            name='publish_notice_enabled',
            field=models.BooleanField(default=False, help_text='The commenter asked for one e-mail when this comment, held for a moderator, is approved.', verbose_name='notify when published'),
        ),
        migrations.AddField(
            model_name='comment',
            name='publish_notice_sent_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the commenter was told this comment is published; it is told only once.', null=True, verbose_name='publication e-mail sent'),
        ),
        migrations.AddField(
            model_name='comment',
            name='staff_user',
            field=models.ForeignKey(blank=True, editable=False, help_text='The admin user who wrote this reply.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comment_replies', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='ModerationLinkUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('action', models.CharField(max_length=10)),
                ('used_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='link_uses', to='comments.comment')),
                ('used_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop, elidable=False),
    ]
