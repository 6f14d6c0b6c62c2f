from django import template

from affiliates.render import render_rich_text
from articles.sanitize import sanitize_html

register = template.Library()


@register.filter
def clean_rich_text(markup):
    """Sanitise HTML that was not cleaned when stored (flat pages), with affiliate rel added."""
    return render_rich_text(markup=sanitize_html(str(markup))).html
