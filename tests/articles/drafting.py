"""What the tests of drafts, autosave and concurrent editing share: the
change forms' data as the admin sends it, and the addresses beside them."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ARTICLE_INLINES, ArticleFactory, UserFactory

LIVE_BODY = "<h2>Symptoms</h2><p>A dull ache around the kneecap after long runs.</p>"


def live_article(**fields):
    # A publish time the form sends back unchanged: it has no microseconds.
    published_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    return ArticleFactory(
        title="Runner's knee",
        slug="runners-knee",
        body=LIVE_BODY,
        published_at=published_at,
        # What the checks before publishing ask of a public article (articles/publish_checks.py).
        meta_description="Why the kneecap aches after long runs, and what helps.",
        **fields,
    )


def article_form(article, **overrides):
    published_at = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "category": str(article.category_id),
        "body": article.body,
        "excerpt": article.excerpt,
        "image_alt": "",
        "status": article.status,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "comments_enabled": "on",
        "reviewer": "",
        "condition_name": "",
        "review_interval_months": "",
        "meta_description": article.meta_description,
        "change_reason": "",
        "draft_version": "0",
        **ARTICLE_INLINES,
    }
    return {**data, **overrides}


def category_form(category, **overrides):
    data = {
        "title": category.title,
        "slug": category.slug,
        "intro": category.intro,
        "position": str(category.position),
        "meta_description": category.meta_description,
        "review_interval_months": str(category.review_interval_months),
        "draft_version": "0",
    }
    return {**data, **overrides}


def admin_url(obj, name):
    """An admin address of `obj`: "change", or a draft endpoint ("draft_preview", …)."""
    return reverse(f"admin:articles_{obj._meta.model_name}_{name}", args=[obj.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def editor(**fields):
    return UserFactory(editor=True, **fields)


def category_editor(**fields):
    """An editor who may also change injury categories."""
    user = editor(**fields)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=["change_category", "add_category"]
        )
    )
    return user


def viewer():
    """Staff who may only look at articles and categories."""
    user = UserFactory(is_staff=True, article_permissions=False)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=["view_article", "view_category"]
        )
    )
    return user
