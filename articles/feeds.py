from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from articles.models import Article
from articles.seo import absolute_url


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the newest published articles, thumbnails as enclosures.

    Made for each request (see `feed`), so every address in it is absolute on
    the site's public address rather than on the sites framework's domain.
    """

    feed_type = Rss201rev2Feed
    description = settings.SITE_TAGLINE

    def __init__(self, request):
        super().__init__()
        self.request = request

    def _absolute(self, path):
        return absolute_url(self.request, path)

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return self._absolute(reverse("articles:home"))

    def feed_url(self):
        return self._absolute(reverse("articles:feed"))

    def items(self):
        return (
            Article.objects.published()
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

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())

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


def feed(request):
    return LatestArticlesFeed(request)(request)
