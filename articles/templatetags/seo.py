"""Tags for what search engines and sharing previews read (articles.seo)."""

from django import template

from articles import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` as an absolute address; left relative where there is no request (500 page)."""
    request = context.get("request")
    return seo.absolute_url(request, path) if request else path


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return seo.json_ld(seo.article_data(article, context["request"]))


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return seo.json_ld(seo.website_data(context["request"]))


@register.simple_tag(takes_context=True)
def category_json_ld(context, category):
    return seo.json_ld(seo.category_data(category, context["request"]))


@register.simple_tag(takes_context=True)
def reviewer_json_ld(context, reviewer):
    return seo.json_ld(seo.reviewer_data(reviewer, context["request"]))


@register.simple_tag(takes_context=True)
def find_json_ld(context, region=None, symptom=None):
    return seo.json_ld(seo.find_data(context["request"], region=region, symptom=symptom))
