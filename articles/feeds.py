"""RSS 2.0 feeds (django.contrib.syndication): the newest articles of the
site and of each hub. The comments app adds its own on this base.

Feeds are pages like any other: the page cache keeps them under the content
version, so a change shows in them on the next request."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from articles.models import Article, Category
from articles.seo import absolute_url


class SiteFeed(Feed):
    """A feed made for each request, so every address in it is absolute on
    the site's public address rather than on the sites framework's domain."""

    feed_type = Rss201rev2Feed
    description = settings.SITE_TAGLINE

    def __init__(self, request):
        super().__init__()
        self.request = request

    def _absolute(self, path):
        return absolute_url(self.request, path)

    def link(self):
        return self._absolute(reverse("articles:home"))

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())


class LatestArticlesFeed(SiteFeed):
    """The newest published articles, thumbnails as enclosures."""

    def title(self):
        return settings.SITE_NAME

    def feed_url(self):
        return self._absolute(reverse("articles:feed"))

    def articles(self):
        return Article.objects.published()

    def items(self):
        return (
            self.articles()
            .select_related("category")
            .for_listing()
            .only("title", "slug", "summary", "thumbnail", "published_at", "category__title")[
                : settings.FEED_ARTICLES_COUNT
            ]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.category.title]

    def item_enclosure_url(self, item):
        return self._absolute(item.thumbnail.url) if item.thumbnail else None

    def item_enclosure_length(self, item):
        return item.thumbnail.size if item.thumbnail else None

    def item_enclosure_mime_type(self, item):
        return "image/jpeg" if item.thumbnail else None


class CategoryFeed(LatestArticlesFeed):
    """The newest published articles of one hub."""

    def __init__(self, request, category):
        super().__init__(request)
        self.category = category

    def title(self):
        return f"{self.category.title} | {settings.SITE_NAME}"

    def description(self):
        return self.category.meta_description or settings.SITE_TAGLINE

    def link(self):
        return self._absolute(self.category.get_absolute_url())

    def feed_url(self):
        return self._absolute(
            reverse("articles:category_feed", kwargs={"slug": self.category.slug})
        )

    def articles(self):
        return self.category.articles.published()


def feed(request):
    return LatestArticlesFeed(request)(request)


def category_feed(request, slug):
    """/<hub-slug>/feed/; any other slug (an article's among them) is not a hub: 404."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404("No injury category has this address.")
    return CategoryFeed(request, category)(request)
