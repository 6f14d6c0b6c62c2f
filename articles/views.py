import sys

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, TemplateView

from articles.models import Article, Category
from injurysite.maintenance import database_unavailable_response, is_database_unavailable


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        categories = Category.objects.prefetch_related(
            Prefetch("articles", queryset=published, to_attr="published_articles")
        )
        return super().get_context_data(categories=categories, **kwargs)


class CategoryDetailView(DetailView):
    model = Category
    context_object_name = "category"

    def get_context_data(self, **kwargs):
        articles = self.object.articles.published().for_listing()
        return super().get_context_data(articles=articles, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().select_related("category")


category_detail = CategoryDetailView.as_view()
article_detail = ArticleDetailView.as_view()


def page(request, slug):
    """`/<slug>/` is a category hub or an article; the slug rules keep them apart."""
    if Category.objects.filter(slug=slug).exists():
        return category_detail(request, slug=slug)
    return article_detail(request, slug=slug)


def old_address(request, slug):
    """The source site's `/<slug>.html` addresses move permanently to `/<slug>/`."""
    return redirect("articles:page", slug=slug, permanent=True)


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@requires_csrf_token
def server_error(request):
    """The 500 page in the site's frame, rendered without touching the database.

    A database that does not answer is not a bug: it gets the 503 maintenance page.
    """
    if is_database_unavailable(sys.exception()):
        return database_unavailable_response(request)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"site_name": settings.SITE_NAME}))
