"""RSS 2.0 of approved comments: the whole site's newest, and each article's.

Pending, spam and removed comments never appear. The feeds are cached by
the page cache like pages and follow the content version: approving a
comment (Comment.save calls content_changed) shows it at the next request."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from articles.feeds import SiteFeed
from articles.models import Article, published_condition
from comments.models import Comment
from comments.text import render_comment_text


class SiteCommentsFeed(SiteFeed):
    def title(self):
        return f"Comments | {settings.SITE_NAME}"

    def description(self):
        return f"The newest comments on {settings.SITE_NAME}."

    def feed_url(self):
        return self._absolute(reverse("comments:feed"))

    def comments(self):
        return Comment.objects.approved().filter(published_condition(through="article__"))

    def items(self):
        return (
            self.comments()
            .select_related("article")
            .only("name", "text", "created_at", "article__title", "article__slug")
            .order_by("-created_at", "-pk")[: settings.FEED_COMMENTS_COUNT]
        )

    def item_title(self, item):
        return f"{item.name} on {item.article.title}"

    def item_description(self, item):
        # Escaped, in paragraphs, with links marked as user content.
        return render_comment_text(item.text)

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created_at

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())


class ArticleCommentsFeed(SiteCommentsFeed):
    def __init__(self, request, article):
        super().__init__(request)
        self.article = article

    def title(self):
        return f"Comments on {self.article.title} | {settings.SITE_NAME}"

    def description(self):
        return f"The newest comments on “{self.article.title}”."

    def link(self):
        return self._absolute(self.article.get_absolute_url())

    def feed_url(self):
        return self._absolute(reverse("comments:article_feed", kwargs={"slug": self.article.slug}))

    def comments(self):
        return Comment.objects.approved().filter(article=self.article)

    def item_title(self, item):
        return f"{item.name} on {self.article.title}"

    def items(self):
        return (
            self.comments()
            .only("name", "text", "created_at", "article_id")
            .order_by("-created_at", "-pk")[: settings.FEED_COMMENTS_COUNT]
        )


def site_feed(request):
    return SiteCommentsFeed(request)(request)


def article_feed(request, slug):
    """/<article-slug>/comments/feed/ of a published article; 404 for anything else."""
    article = Article.objects.published().filter(slug=slug).only("title", "slug").first()
    if article is None:
        raise Http404("No published article has this address.")
    return ArticleCommentsFeed(request, article)(request)
