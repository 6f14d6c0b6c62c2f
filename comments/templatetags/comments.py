from types import MappingProxyType

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from comments.forms import CommentForm
from comments.messages import comment_status_messages
from comments.models import Comment
from comments.text import render_comment_text
from comments.threads import build_threads
from comments.tokens import make_form_token
from core.paging import newest_first_page, page_number, pager
from pagecache import cached_fragment

register = template.Library()

FORM_FIELDS_TEMPLATE = "comments/_form_fields.html"
LIST_TEMPLATE = "comments/_comment_list.html"
AREA_TEMPLATE = "comments/_comment_area.html"


@register.simple_tag(takes_context=True)
def comment_area(context, article):
    """The comments under an article, and the form, bound with errors when a
    post was refused (comments/_comment_area.html).

    The newest COMMENTS_PER_PAGE approved comments, in threads and oldest
    first, with a link to older pages (`?page=`): one query however long the
    discussion grows. The total comes with the article (with_comment_counts,
    from the article's CommentTally).
    """
    request = context.get("request")
    number = page_number(request) if request is not None else 1
    url = article.get_absolute_url()

    def comment_list():
        page = newest_first_page(
            Comment.objects.approved()
            .filter(article=article)
            .for_display()
            .order_by("-created_at", "-pk"),
            number=number,
            size=settings.COMMENTS_PER_PAGE,
        )
        links = pager(
            page,
            url=url,
            fragment="#comments-heading",
            label="More comments",
            previous_text="Newer comments",
            next_text="Older comments",
        )
        threads = build_threads(page.object_list[::-1])
        return render_to_string(
            LIST_TEMPLATE,
            {"article": article, "threads": threads, "pager": links, "is_open": is_open},
        )

    count = getattr(article, "approved_comment_count", None)
    if count is None:
        count = Comment.objects.approved().filter(article=article).count()
    # Closing comments after COMMENTS_CLOSE_AFTER_DAYS takes the Reply links
    # away with no save: part of the key.
    is_open = article.is_open_for_comments
    form = context.get("comment_form")
    status_messages = comment_status_messages(context.get("messages", ()))

    def area():
        return render_to_string(
            AREA_TEMPLATE,
            {
                "article": article,
                # The list changes only when the article's comments do, and
                # each such change makes its page's path version new
                # (comments.models): kept under that version, a rendered page
                # reads no comment at all.
                "comment_list": cached_fragment(
                    f"comment-list:{article.pk}:{number}:{int(is_open)}", comment_list, path=url
                ),
                "count": count,
                "is_open": is_open,
                "form": form or FreshCommentForm(article),
                "status_messages": status_messages,
            },
        )

    if form is not None or status_messages:
        return area()
    # The area most readers get (the empty form, no message about a post of
    # theirs) is the same for all of them, as the page cache already relies
    # on: kept whole under the article's version. Its form's signed render
    # time is then as old as the fragment, at most PAGE_CACHE_TIMEOUT, as in
    # a cached page (COMMENTS_FORM_MAX_AGE_SECONDS allows for that).
    return cached_fragment(
        f"comment-area:{article.pk}:{number}:{int(is_open)}:{count}", area, path=url
    )


class _Token:
    html_name = "token"
    auto_id = "id_token"

    def __init__(self, value):
        self._value = value

    def value(self):
        return self._value


class FreshCommentForm:
    """What comments/_form.html reads of the empty CommentForm nearly every
    reader gets: its signed token and nothing else (no errors, no values, no
    reply), without building a ModelForm per page (its field copies cost
    more than the rest of the comment area). A post is always validated by
    the real CommentForm (comments.views); a refused one comes back as that."""

    is_bound = False
    errors = MappingProxyType({})
    parent_comment = None

    def __init__(self, article):
        self.token = _Token(make_form_token(article))
        self.initial = {"token": self.token.value()}


@register.simple_tag
def comment_form_fields(form):
    """The form's visible fields (comments/_form_fields.html).

    A fresh form, the one nearly every reader gets, has the same fields on
    every article: no values, no errors (its token is rendered apart). Those
    are kept as a fragment (about 2 ms of a 4 ms article render); a bound or
    prefilled form is rendered every time.
    """
    if form.is_bound or set(form.initial) - {"token"}:
        return render_to_string(FORM_FIELDS_TEMPLATE, {"form": form})
    return cached_fragment(
        "comment-form-fields",
        lambda: render_to_string(FORM_FIELDS_TEMPLATE, {"form": CommentForm()}),
    )


@register.filter
def comment_text(text):
    """Plain comment text as safe HTML: escaped, in paragraphs, with links."""
    return render_comment_text(text)


@register.inclusion_tag("admin/comments/_pending_notice.html", takes_context=True)
def pending_comments_notice(context):
    """The admin index's line about comments waiting, for those who may see them."""
    user = context["request"].user
    if not user.has_perm("comments.view_comment"):
        return {"count": None}
    return {"count": Comment.objects.pending().count()}
