"""The References list under an article (articles.citations)."""

from django import template

from articles.citations import reference_entries

register = template.Library()


@register.inclusion_tag("articles/_reference_list.html")
def article_references(article):
    return {"entries": reference_entries(article)}
