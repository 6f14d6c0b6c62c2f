"""Turn the free-text "medically reviewed by" names into Reviewer records.

"Dr Jane Smith, physiotherapist" becomes the reviewer "Dr Jane Smith" with
the credentials "physiotherapist" (the text after the first comma); the same
text on several articles becomes one reviewer. Revisions in the history get
the reviewer too. Due dates follow each article's category's interval, and
the Editors group is given the new models.
"""

from calendar import monthrange

from django.db import migrations
from django.utils.text import slugify

from articles.groups import create_editors_group


def _add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def _free_slug(name, taken):
    base = slugify(name)[:190] or "reviewer"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def names_to_reviewers(apps, schema_editor):
    article_model = apps.get_model("articles", "Article")
    history_model = apps.get_model("articles", "HistoricalArticle")
    reviewer_model = apps.get_model("articles", "Reviewer")
    taken = set(reviewer_model.objects.values_list("slug", flat=True))
    reviewers = {}

    def reviewer_for(text):
        text = " ".join(text.split())
        if text not in reviewers:
            name, _, credentials = (part.strip() for part in text.partition(","))
            reviewers[text] = reviewer_model.objects.create(
                name=name[:200] or text[:200],
                credentials=credentials[:200],
                slug=_free_slug(name or text, taken),
            )
        return reviewers[text]

    articles = article_model.objects.exclude(reviewed_by="").select_related("category")
    for article in articles:
        article.reviewer = reviewer_for(article.reviewed_by)
        if article.reviewed_on:
            months = article.review_interval_months or article.category.review_interval_months
            article.review_due_on = _add_months(article.reviewed_on, months)
        article.save(update_fields=["reviewer", "review_due_on"])
    for revision in history_model.objects.exclude(reviewed_by="").iterator():
        revision.reviewer_id = reviewer_for(revision.reviewed_by).pk
        revision.save(update_fields=["reviewer"])


def reviewers_to_names(apps, schema_editor):
    article_model = apps.get_model("articles", "Article")
    for article in article_model.objects.filter(reviewer__isnull=False).select_related("reviewer"):
        reviewer = article.reviewer
        text = f"{reviewer.name}, {reviewer.credentials}" if reviewer.credentials else reviewer.name
        article.reviewed_by = text[:200]
        article.save(update_fields=["reviewed_by"])


def editors_group(apps, schema_editor):
    create_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_medical_taxonomy_and_reviewers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(names_to_reviewers, reviewers_to_names),
        migrations.RunPython(editors_group, migrations.RunPython.noop),
    ]
