"""The plain peer's one view: three queries, one template."""

from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.urls import path

ARTICLE = """
    SELECT a.title, a.body, a.summary, c.title, c.slug
    FROM articles_article a JOIN articles_category c ON c.id = a.category_id
    WHERE a.slug = %s AND a.status = 'published' AND a.published_at <= %s
"""
CATEGORIES = "SELECT title, slug FROM articles_category ORDER BY position, title"
RECENT = """
    SELECT title, slug, published_at, thumbnail, image_alt, summary FROM articles_article
    WHERE status = 'published' AND published_at <= %s ORDER BY published_at DESC LIMIT 10
"""


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def article(request, slug):
    from django.utils import timezone

    now = timezone.now()
    found = rows(ARTICLE, [slug, now])
    if not found:
        raise Http404
    title, body, summary, category_title, category_slug = found[0]
    recent = [
        {
            "title": r[0],
            "slug": r[1],
            "published_at": r[2],
            "thumbnail": r[3],
            "image_alt": r[4],
            "summary": r[5],
        }
        for r in rows(RECENT, [now])
    ]
    # Django returns naive UTC datetimes from raw SQLite queries; make them aware.
    for item in recent:
        if timezone.is_naive(item["published_at"]):
            item["published_at"] = timezone.make_aware(item["published_at"], timezone.utc)
    context = {
        "title": title,
        "body": body,
        "summary": summary,
        "category": {"title": category_title, "slug": category_slug},
        "categories": [{"title": t, "slug": s} for t, s in rows(CATEGORIES)],
        "recent": recent,
    }
    return render(request, "page.html", context)


urlpatterns = [path("<slug:slug>/", article)]
