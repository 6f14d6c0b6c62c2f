from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, TemplateView

from articles.frame import site_frame
from articles.models import Article, Category
from articles.paging import newest_first_page, page_number


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        categories = Category.objects.with_newest_articles(settings.HOME_ARTICLES_PER_CATEGORY)
        return super().get_context_data(categories=categories, **kwargs)


class CategoryDetailView(DetailView):
    model = Category
    context_object_name = "category"

    def get_object(self, queryset=None):
        # The `/<slug>/` dispatcher has already read the category.
        return self.kwargs.get("category") or super().get_object(queryset)

    def get_context_data(self, **kwargs):
        # The id breaks ties between equal publish times, so pages never overlap.
        articles = self.object.articles.published().for_listing().order_by("-published_at", "-pk")
        page = newest_first_page(
            articles, number=page_number(self.request), size=settings.HUB_PAGE_SIZE
        )
        return super().get_context_data(articles=page.items, page=page, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().select_related("category")


category_detail = CategoryDetailView.as_view()
article_detail = ArticleDetailView.as_view()


def page(request, slug):
    """`/<slug>/` is a category hub or an article; the slug rules keep them apart.

    The set of category slugs comes with the site frame (one cache read), so
    an article page spends no query on telling the two apart.
    """
    if slug in site_frame(request)["category_slugs"]:
        category = Category.objects.filter(slug=slug).first()
        if category is not None:
            return category_detail(request, slug=slug, category=category)
    return article_detail(request, slug=slug)


def old_address(request, slug):
    """The source site's `/<slug>.html` addresses move permanently to `/<slug>/`."""
    return redirect("articles:page", slug=slug, permanent=True)


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@requires_csrf_token
def server_error(request):
    """The 500 page in the site's frame, rendered without touching the database."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"site_name": settings.SITE_NAME}))
