"""The “Was this page helpful?” form under an article (articles.feedback)."""

from django import template
from django.template.loader import render_to_string

from articles.feedback import MAX_FEEDBACK_LENGTH, HelpfulForm, make_token
from pagecache import cached_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def helpful_form(context, article, form=None):
    """The form, the same for every reader; thanks instead after an answer.

    A refused answer comes back as `form` (bound, with its errors and the
    typed comment); every other reader gets the empty form, written out by the
    template without a form instance (the fields' deep copies and widget
    templates cost more than the rest of the section)."""
    request = context.get("request")
    thanked = request is not None and request.GET.get("helpful") == "thanks"
    typed = form["comment"].value() if form is not None else None

    def section():
        return render_to_string(
            "articles/_helpful.html",
            {
                "article": article,
                "form": form,
                "comment_label": HelpfulForm.base_fields["comment"].label,
                "comment_max_length": MAX_FEEDBACK_LENGTH,
                "comment_value": "" if typed is None else str(typed),
                "token": make_token(article),
                "thanked": thanked,
            },
        )

    if form is not None or thanked:
        return section()
    # The empty form is the same for every reader of the article, its token
    # included (it names the article only): kept with the article's page.
    return cached_fragment(f"helpful:{article.pk}", section, path=article.get_absolute_url())
