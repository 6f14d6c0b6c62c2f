from django import template

from comments.forms import CommentForm
from comments.models import Comment
from comments.text import render_comment_text
from comments.threads import build_threads
from comments.views import MESSAGE_TAG

register = template.Library()


@register.inclusion_tag("comments/_comment_area.html", takes_context=True)
def comment_area(context, article):
    """The comments under an article: its approved comments in threads (one
    query), and the form, bound with errors when a post was refused."""
    comments = list(Comment.objects.approved().filter(article=article).for_display())
    return {
        "article": article,
        "threads": build_threads(comments),
        "count": len(comments),
        "is_open": article.is_open_for_comments,
        "form": context.get("comment_form") or CommentForm(article=article),
        "status_messages": [
            message for message in context.get("messages", ()) if MESSAGE_TAG in message.tags
        ],
    }


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
