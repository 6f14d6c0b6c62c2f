"""The comment endpoints: posting, the reply page and unsubscribing.

Cross-site request forgery: Django's CSRF protection needs a per-visitor
cookie and a token in the page, and article pages must be byte-for-byte the
same for every anonymous reader so that the whole page can be cached. So
`post_comment` is exempt from CsrfViewMiddleware and is protected instead by
the browser's Origin (or Referer) header, which another site cannot forge
(core.origin), plus the signed form token every article page carries
(comments.tokens). Comments are anonymous, so there is no session a forged
post could ride on; the check keeps other sites from posting in a reader's
name from the reader's browser and IP address.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.views import ArticleDetailView
from comments import notifications
from comments.forms import CommentForm
from comments.messages import AWAITING_MODERATION, MESSAGE_TAG, PUBLISHED
from comments.models import Comment
from comments.moderation import submit_comment
from core.maintenance import keep_form_when_database_is_down
from core.origin import is_same_site_post
from core.proxies import client_ip

# The comment form's id: its own action ends with it, so a refused post is
# shown again scrolled to the form and its error summary.
FORM_ANCHOR = "#comment-form"


# With the database down the 503 page shows this form again, filled in.
@keep_form_when_database_is_down(CommentForm)
@csrf_exempt  # protected by the Origin/Referer check and form token instead: see above.
@require_http_methods(["GET", "HEAD", "POST"])
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if request.method != "POST":
        # The address of a refused post, reloaded or bookmarked: on to the form.
        return redirect(article.get_absolute_url() + FORM_ANCHOR)
    if not is_same_site_post(request):
        return render(request, "comments/cross_site.html", {"article": article}, status=403)
    submission = submit_comment(
        article=article,
        data=request.POST,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    comment = submission.comment
    if comment is None:
        return show_form_again(request, article, submission.form, status=submission.refused_with)
    if comment.is_approved:
        messages.success(request, PUBLISHED, extra_tags=MESSAGE_TAG)
        return redirect(article.get_absolute_url() + comment.anchor)
    # Spam gets the same answer as pending, so robots learn nothing.
    messages.success(request, AWAITING_MODERATION, extra_tags=MESSAGE_TAG)
    return redirect(article.get_absolute_url() + "#comments")


def show_form_again(request, article, form, *, status):
    """A refused post's form, with its errors and everything typed: on the
    reply page for a reply to a comment still shown (the reader came from
    there), else on the article page. Either is this reader's alone, so it is
    never cached, by us or by the browser."""
    parent = form.parent_comment
    if parent is not None and article.is_open_for_comments:
        parent.article = article
        response = reply_page(request, parent, form, status=status)
    else:
        response = render_article(request, article, form, status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def render_article(request, article, form, *, status):
    """The article page itself, with `form` (bound, with its errors) in it."""
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.extra_context = {"comment_form": form}
    response = view.get(request, slug=article.slug)
    response.status_code = status
    return response


def permalink(request, pk):
    """An approved comment's short address: on to the page of the article that shows it."""
    comment = get_object_or_404(
        Comment.objects.approved().filter(article__in=Article.objects.published()), pk=pk
    )
    return redirect(comment.page_url())


def reply(request, pk):
    """A page with one comment and the form to answer it; it works without
    JavaScript and is the same for every reader, like the article page."""
    parent = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    form = CommentForm(article=parent.article, initial={"parent": parent.pk})
    return reply_page(request, parent, form)


def reply_page(request, parent, form, *, status=200):
    return render(
        request,
        "comments/reply.html",
        {"article": parent.article, "parent": parent, "comment_form": form},
        status=status,
    )


# Exempt: mail programs post here for one-click unsubscribing (RFC 8058)
# without any token but the signed one in the address.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email = notifications.email_from_unsubscribe_token(token)
    if email is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        notifications.unsubscribe(email=email)
        return render(request, "comments/unsubscribed.html")
    return render(request, "comments/unsubscribe.html", {"token": token})
