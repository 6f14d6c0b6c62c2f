"""The “Was this page helpful?” form under an article (articles.feedback)."""

from django import template

from articles.feedback import HelpfulForm, make_token

register = template.Library()


@register.inclusion_tag("articles/_helpful.html", takes_context=True)
def helpful_form(context, article, form=None):
    """The form, the same for every reader; thanks instead after an answer."""
    request = context.get("request")
    thanked = request is not None and request.GET.get("helpful") == "thanks"
    return {
        "article": article,
        "form": form or HelpfulForm(article=article),
        "token": make_token(article),
        "thanked": thanked,
    }
