import sys
import uuid

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView, TemplateView

from affiliates.render import render_rich_text
from articles.body import render_article
from articles.feedback import answer_helpful
from articles.frame import site_frame
from articles.models import Article, BodyRegion, Category, Reviewer, Symptom
from articles.redirects import redirect_response
from articles.sanitize import sanitize_html
from articles.seo import absolute_url
from articles.taxonomy import articles_concerning, articles_explaining, regions_with_article_counts
from articles.text import drop_control_characters
from core.maintenance import database_unavailable_response, is_database_unavailable
from core.origin import is_same_site_post
from core.paging import newest_first_page, page_number, pager
from core.prepared import PreparedGet
from core.proxies import client_ip
from pagecache import cached_fragment


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        introduction = cached_fragment("home_introduction", home_introduction)
        # Titles and addresses of the newest articles per category: what the
        # site-wide version covers, so kept under it (no query, no template
        # work on a rendered home page until content changes).
        lists = cached_fragment("home-categories", home_category_lists)
        return super().get_context_data(
            category_lists=lists, introduction=introduction or None, **kwargs
        )


def home_category_lists():
    categories = Category.objects.with_newest_articles(settings.HOME_ARTICLES_PER_CATEGORY)
    return render_to_string("articles/_home_categories.html", {"categories": categories})


def home_introduction():
    """The flat page at "/" (the owner's own introduction, which import_pages
    brings from the old home page) as {"title", "html"}, or {} when there is
    none and the home page shows its built-in text. A flat page, so the owner
    edits it in the admin like the disclosure page; saving one changes the
    content version, which this fragment is kept under."""
    page = FlatPage.objects.filter(url="/", sites=settings.SITE_ID).only("title", "content").first()
    if page is None:
        return {}
    return {
        "title": page.title,
        "html": render_rich_text(markup=sanitize_html(page.content)).html,
    }


class CategoryDetailView(DetailView):
    model = Category
    context_object_name = "category"

    def get_object(self, queryset=None):
        # The `/<slug>/` dispatcher has already read the category.
        return self.kwargs.get("category") or super().get_object(queryset)

    def get_context_data(self, **kwargs):
        affiliate = render_rich_text(markup=self.object.intro, from_slug=self.object.slug)
        return super().get_context_data(
            article_listing=self.article_listing(page_number(self.request)),
            affiliate=affiliate,
            **kwargs,
        )

    def article_listing(self, number):
        """Page `number` of the hub's articles with its pager, as HTML.

        It shows what the site-wide version covers (titles, summaries,
        pictures, publish times) and the comment counts, which change the
        hub's own path version (comments.models.pages_showing_comments_of):
        kept under both, it costs a rendered hub no query and no template
        work for the list. A page past the end raises 404 and is not kept."""
        return cached_fragment(
            f"hub-articles:{self.object.pk}:{number}",
            lambda: self.render_listing(number),
            path=self.object.get_absolute_url(),
        )

    def render_listing(self, number):
        # The id breaks ties between equal publish times, so pages never overlap.
        articles = (
            self.object.articles.published()
            .for_listing()
            .with_comment_counts()
            .order_by("-published_at", "-pk")
        )
        page = newest_first_page(articles, number=number, size=settings.HUB_PAGE_SIZE)
        links = pager(
            page,
            url=self.object.get_absolute_url(),
            label=f"More articles in {self.object.title}",
            previous_text="Newer articles",
            next_text="Older articles",
        )
        width, height = settings.THUMBNAIL_SIZE
        return render_to_string(
            "articles/_hub_articles.html",
            {
                "articles": page.object_list,
                "pager": links,
                "thumbnail_width": width,
                "thumbnail_height": height,
            },
        )


def public_article_pages(articles):
    """`articles` with what an article page reads, in one query: the source
    and search columns stay in the database (the page shows body_html); the
    comment count comes in the same query (one join), and so do the category,
    the author, the reviewer and the article's symptoms and regions (for its
    links and structured data)."""
    return (
        articles.select_related("category", "author", "reviewer")
        .defer("body", "body_text", "search_document")
        .with_comment_counts()
        .with_taxonomy()
        .with_reference_flag()
    )


PUBLIC_ARTICLE_PAGE = PreparedGet(
    Article,
    lambda slug: public_article_pages(
        Article.objects.filter(status=Article.Status.PUBLISHED, slug=slug)
    ),
)


class ArticleDetailView(DetailView):
    """A published article; for staff who may change articles, also a draft or
    scheduled one, as a preview that is never cached."""

    context_object_name = "article"
    preview = False

    def get_queryset(self):
        return public_article_pages(Article.objects.published())

    def get_object(self, queryset=None):
        # The statement is compiled once (core.prepared); the part of the
        # published rule that time changes is checked here, on the row.
        article = PUBLIC_ARTICLE_PAGE.get(self.kwargs["slug"])
        if article is not None and not article.is_scheduled:
            return article
        if not self.request.user.has_perm("articles.change_article"):
            raise Http404("No article at this address.")
        self.preview = True
        return get_object_or_404(
            Article.objects.select_related("category", "author", "reviewer").with_taxonomy(),
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=self.preview,
            affiliate=self.rendered_body(self.object),
            show_review_schedule=is_signed_in_staff(self.request),
            today=timezone.localdate(),
            **kwargs,
        )

    def rendered_body(self, article):
        # The body with its affiliate links and banners depends only on the
        # article and the links, so it is kept under the content version like
        # the site frame, and under its page's version, which a save changing
        # that page alone makes new (articles.saving).
        return cached_fragment(
            f"article-body:{article.pk}",
            lambda: render_article(article=article),
            path=article.get_absolute_url(),
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


def is_signed_in_staff(request):
    """Whether the request comes from a signed-in staff member. A reader without
    the session cookie is answered without touching the session, so their
    page stays cacheable and varies on no cookie; pages for staff are never
    cached (they carry the session cookie), so what only staff see never
    reaches a reader."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


def _listing_page(request, articles, *, url, label):
    """A page of `articles` and its pager, as hubs have them."""
    page = newest_first_page(articles, number=page_number(request), size=settings.HUB_PAGE_SIZE)
    links = pager(
        page, url=url, label=label, previous_text="Previous articles", next_text="More articles"
    )
    return page.object_list, links


class FindView(TemplateView):
    """/find/: every body region, with its symptoms, to start from where it hurts."""

    template_name = "articles/find.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(regions=list(regions_with_article_counts()), **kwargs)


class RegionView(TemplateView):
    """/find/<region>/: the region's symptoms and the articles concerning it."""

    template_name = "articles/find_region.html"

    def get_context_data(self, **kwargs):
        # The address's slugs are not passed on: the context names the objects.
        region = get_object_or_404(BodyRegion, slug=self.kwargs["region"])
        articles, links = _listing_page(
            self.request,
            articles_concerning(region),
            url=region.get_absolute_url(),
            label=f"More articles about the {region.name}",
        )
        return super().get_context_data(
            region=region, symptoms=list(region.symptoms.all()), articles=articles, pager=links
        )


class SymptomView(TemplateView):
    """/find/<region>/<symptom>/: the articles explaining the symptom, best match first."""

    template_name = "articles/find_symptom.html"

    def get_context_data(self, **kwargs):
        symptom = get_object_or_404(
            Symptom.objects.select_related("region"),
            region__slug=self.kwargs["region"],
            slug=self.kwargs["symptom"],
        )
        articles, links = _listing_page(
            self.request,
            articles_explaining(symptom),
            url=symptom.get_absolute_url(),
            label=f"More articles about {symptom.name}",
        )
        others = symptom.region.symptoms.exclude(pk=symptom.pk)
        return super().get_context_data(
            symptom=symptom,
            region=symptom.region,
            other_symptoms=list(others),
            articles=articles,
            pager=links,
        )


class ReviewerListView(ListView):
    """/reviewers/: the clinicians who check the site's medical content."""

    model = Reviewer
    context_object_name = "reviewers"


class ReviewerDetailView(DetailView):
    """/reviewers/<slug>/: a reviewer's profile and the published articles they reviewed."""

    model = Reviewer
    context_object_name = "reviewer"

    def get_context_data(self, **kwargs):
        # Not through self.object.reviewed_articles: a related manager fills
        # each row's reviewer from the column for_listing() leaves out.
        reviewed = (
            Article.objects.filter(reviewer=self.object)
            .published()
            .for_listing()
            .order_by("-published_at", "-pk")
        )
        articles, links = _listing_page(
            self.request,
            reviewed,
            url=self.object.get_absolute_url(),
            label=f"More articles reviewed by {self.object.name}",
        )
        return super().get_context_data(articles=articles, pager=links, **kwargs)


class SearchView(ListView):
    """/search/?q=: published articles matching the words, best first.

    An empty query shows the search form with a hint; one longer than
    SEARCH_MAX_QUERY_LENGTH is not run and says why, keeping what was typed.
    """

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = settings.SEARCH_RESULTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.query = " ".join(drop_control_characters(request.GET.get("q", "")).split())
        self.too_long = len(self.query) > settings.SEARCH_MAX_QUERY_LENGTH
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end or not a number shows the nearest page, not a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_queryset(self):
        if not self.query or self.too_long:
            return Article.objects.none()
        return Article.objects.published().for_listing().search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            too_long=self.too_long,
            max_length=settings.SEARCH_MAX_QUERY_LENGTH,
            max_matches=settings.SEARCH_MAX_MATCHES or float("inf"),
            **kwargs,
        )
        context["pager"] = pager(
            context["page_obj"],
            url=reverse("articles:search"),
            params={"q": self.query},
            label="Search result pages",
            previous_text="Previous",
            next_text="Next",
        )
        return context


class DraftPreviewMixin:
    """The page of an article or category showing a draft of its changes
    (`draft_object`, built from the draft by the admin, never saved), for the
    admin's Preview, with a banner saying it is not published.

    Never cached, and it neither reads nor keeps a fragment: the context's
    content version names this one response, so the page's `{% cache %}`
    keys match nothing a reader is served, and a timeout of 0 keeps nothing.
    """

    preview = True

    def post(self, request, *args, **kwargs):
        # The form's Preview button shows what it sent when it cannot be kept.
        return self.get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.kwargs["draft_object"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            draft=self.kwargs["draft"],
            content_version=f"draft-preview-{uuid.uuid4().hex}",
            fragment_timeout=0,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response


class ArticleDraftPreview(DraftPreviewMixin, ArticleDetailView):
    def rendered_body(self, article):
        return render_article(article=article)


class CategoryDraftPreview(DraftPreviewMixin, CategoryDetailView):
    def article_listing(self, number):
        # The draft's title is in the pager's label: never a kept listing.
        return self.render_listing(number)


category_detail = CategoryDetailView.as_view()
article_detail = ArticleDetailView.as_view()
search = SearchView.as_view()
find = FindView.as_view()
find_region = RegionView.as_view()
find_symptom = SymptomView.as_view()
reviewer_list = ReviewerListView.as_view()
reviewer_detail = ReviewerDetailView.as_view()
article_draft_preview = ArticleDraftPreview.as_view()
category_draft_preview = CategoryDraftPreview.as_view()


def page(request, slug):
    """`/<slug>/` is a category hub or an article; the slug rules keep them apart.

    An address that is neither answers 404, which lets the redirects
    middleware send an article's old slug on to its new one. The set of
    category slugs comes with the site frame (one cache read), so an article
    page spends no query on telling the two apart.
    """
    if slug in site_frame(request)["category_slugs"]:
        category = Category.objects.filter(slug=slug).first()
        if category is not None:
            return category_detail(request, slug=slug, category=category)
    return article_detail(request, slug=slug)


def old_address(request, slug):
    """The source site's `/<slug>.html` addresses move permanently to `/<slug>/`,
    or straight to where a redirect row sends `/<slug>/` (one hop, not two)."""
    moved = redirect_response(request.get_full_path())
    if moved is None and slug.lower() == "index":
        # The old home page, /index.html.
        return redirect("articles:home", permanent=True)
    return moved or redirect("articles:page", slug=slug.lower(), permanent=True)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /go/",
        "Disallow: /ckeditor/",
        "Disallow: /search/",
        f"Sitemap: {absolute_url(request, reverse('articles:sitemap'))}",
        "",
    ]
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


# Protected by the Origin/Referer check and the form's signed token instead of
# a CSRF cookie, so article pages stay the same for every reader (articles.feedback).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def helpful(request, slug):
    """POST /<slug>/helpful/: a reader's “Was this page helpful?” answer.

    Recorded, it sends the reader back to the form's place, thanked (a query
    the page cache does not keep, so no cookie is needed). Refused, it shows
    the form again with the reason and the typed comment, never cached."""
    article = get_object_or_404(Article.objects.published().only("pk", "slug", "title"), slug=slug)
    back = article.get_absolute_url()
    if request.method != "POST":
        return redirect(back + "#helpful")
    if not is_same_site_post(request):
        response = render(request, "articles/helpful.html", {"article": article}, status=403)
    else:
        answer = answer_helpful(article=article, data=request.POST, ip=client_ip(request))
        if answer.refused_with is None:
            return redirect(f"{back}?helpful=thanks#helpful")
        response = render(
            request,
            "articles/helpful.html",
            {"article": article, "form": answer.form},
            status=answer.refused_with,
        )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response
