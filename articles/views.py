from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, TemplateView

from articles.affiliate.render import render_article, render_rich_text
from articles.models import Article, Category


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
        affiliate = render_rich_text(markup=self.object.intro, from_slug=self.object.slug)
        return super().get_context_data(articles=articles, affiliate=affiliate, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get_context_data(self, **kwargs):
        affiliate = render_article(article=self.object)
        return super().get_context_data(affiliate=affiliate, **kwargs)


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
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /go/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@requires_csrf_token
def server_error(request):
    """The 500 page in the site's frame, rendered without touching the database."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"site_name": settings.SITE_NAME}))
