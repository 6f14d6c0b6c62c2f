from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(delta):
    """A timedelta in words, to the minute: "15 minutes", "1 hour 30 minutes"."""
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%d hour", "%d hours", hours) % hours)
    if minutes:
        parts.append(ngettext("%d minute", "%d minutes", minutes) % minutes)
    return " ".join(parts)
