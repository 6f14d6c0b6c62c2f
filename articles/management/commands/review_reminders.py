"""Mail each medical reviewer the articles whose review falls due within 30
days (or is overdue): for a daily cron job; nothing else depends on it."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.reviews import REMINDER_DAYS, due_for_reminder
from core.links import public_url


class Command(BaseCommand):
    help = (
        f"E-mail each reviewer (Reviewer.email) the published articles whose medical review is "
        f"due within {REMINDER_DAYS} days or overdue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be mailed what; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        due = due_for_reminder(today=today)
        messages = [self._message(reviewer, articles, today) for reviewer, articles in due.items()]
        for reviewer, articles in due.items():
            self.stdout.write(f"{reviewer.name} <{reviewer.email}>: {len(articles)} article(s)")
        if not dry_run and messages:
            try:
                get_connection().send_messages(messages)
            except OSError as error:
                raise CommandError(f"Could not send the reminders: {error}") from error
        count = sum(len(articles) for articles in due.values())
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(messages)} reminder(s) for {count} article(s).")
        )

    def _message(self, reviewer, articles, today):
        rows = [
            {
                "article": article,
                "overdue": article.review_due_on < today,
                "url": public_url(article.get_absolute_url()),
                "admin_url": public_url(
                    reverse("admin:articles_article_change", args=[article.pk])
                ),
            }
            for article in articles
        ]
        context = {
            "reviewer": reviewer,
            "rows": rows,
            "days": REMINDER_DAYS,
            "site_name": settings.SITE_NAME,
            "reviews_url": public_url(reverse("admin:articles_reviewdue_changelist")),
        }
        return EmailMessage(
            subject=f"{settings.SITE_NAME}: {len(articles)} article review(s) due",
            body=render_to_string("articles/email/review_reminder.txt", context),
            to=[reviewer.email],
        )
