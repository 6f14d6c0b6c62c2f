from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.urls import reverse

from articles.models import Article, BodyRegion, Category, Reviewer, Symptom, published_condition
from articles.seo import absolute_url, last_modified


class SiteSitemap(Sitemap):
    """Addresses on the site's public address (SITE_URL or the request's host)."""

    def __init__(self, request):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["location"] = absolute_url(self.request, self.location(url["item"]))
        return urls


def _last_change(prefix=""):
    """In SQL, what articles.seo.last_modified says: the later of the last
    save and the publication (a scheduled article goes live without a save)."""
    return Greatest(F(f"{prefix}updated_at"), F(f"{prefix}published_at"))


class HomeSitemap(SiteSitemap):
    """The home page lists the newest articles: it changed when the newest did."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Article.objects.published().aggregate(last=Max(_last_change()))["last"]


class CategorySitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        public = published_condition(through="articles__")
        # A category keeps no change time of its own: its hub changes when its
        # newest public article does.
        return Category.objects.annotate(
            last_changed=Max(_last_change("articles__"), filter=public)
        ).order_by("position", "title")

    def lastmod(self, category):
        return category.last_changed


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at")
        )

    def lastmod(self, article):
        return last_modified(article)


class FindSitemap(SiteSitemap):
    """/find/, each region's page and each region and symptom's page (none
    before the editors have set up a region)."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        regions = list(BodyRegion.objects.only("slug"))
        symptoms = list(Symptom.objects.select_related("region").only("slug", "region__slug"))
        return ["find", *regions, *symptoms] if regions else []

    def location(self, item):
        return reverse("articles:find") if item == "find" else item.get_absolute_url()


class ReviewerSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Reviewer.objects.only("slug")


def sitemap(request):
    sections = {
        "home": HomeSitemap(request),
        "categories": CategorySitemap(request),
        "articles": ArticleSitemap(request),
        "find": FindSitemap(request),
        "reviewers": ReviewerSitemap(request),
    }
    return sitemap_view(request, sitemaps=sections)
