"""Tagging articles with the symptoms they explain and the regions they
concern, and the lists /find/ shows.

tag_article is the one way tags change (the admin, the demo and tests call
it), so the content version follows every change of them, and only a change:
the admin calls it on every save of an article, and a save that changes only
the article's own page must leave the rest of the cache warm (articles.saving).
"""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery

from articles.models import Article, BodyRegion
from pagecache import content_changed


def tag_article(*, article, symptoms, regions=()):
    """Give `article` exactly these symptoms and regions; the region of each
    symptom is added to the regions, since an article about pain on the
    outside of the knee concerns the knee."""
    symptoms = list(symptoms)
    regions = {region.pk: region for region in regions}
    for symptom in symptoms:
        regions.setdefault(symptom.region_id, symptom.region)
    had = (
        set(article.symptoms.values_list("pk", flat=True)),
        set(article.regions.values_list("pk", flat=True)),
    )
    if had == ({symptom.pk for symptom in symptoms}, set(regions)):
        return
    article.symptoms.set(symptoms)
    article.regions.set(regions.values())
    for name in ("region_list", "symptom_list"):
        article.__dict__.pop(name, None)
    content_changed(using=article._state.db)


def regions_with_article_counts():
    """Every region with `article_count` (its published articles) and its
    symptoms (`symptoms.all`), in list order: two queries."""
    count = (
        Article.objects.published()
        .filter(regions=OuterRef("pk"))
        .values("regions")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return BodyRegion.objects.annotate(
        article_count=models.functions.Coalesce(Subquery(count), 0)
    ).prefetch_related("symptoms")


def articles_concerning(region):
    """Published articles tagged with `region` or one of its symptoms, newest first."""
    tagged = Article.regions.through.objects.filter(bodyregion=region).values("article_id")
    by_symptom = Article.symptoms.through.objects.filter(symptom__region=region).values(
        "article_id"
    )
    return (
        Article.objects.published()
        .for_listing()
        .filter(Q(pk__in=tagged) | Q(pk__in=by_symptom))
        .order_by("-published_at", "-pk")
    )


def articles_explaining(symptom):
    """Published articles tagged with `symptom`, best match first: those
    explaining the fewest symptoms (the most focused on this one), then the
    newest."""
    through = Article.symptoms.through
    symptom_count = Subquery(
        through.objects.filter(article_id=OuterRef("pk"))
        .values("article_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Article.objects.published()
        .for_listing()
        .filter(pk__in=through.objects.filter(symptom=symptom).values("article_id"))
        .annotate(symptom_count=symptom_count)
        .order_by("symptom_count", "-published_at", "-pk")
    )
