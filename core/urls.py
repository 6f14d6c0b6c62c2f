"""reverse(), remembered.

Reversing a URL walks the resolver's patterns and rebuilds the string every
time: on an article page the seven {% url %} tags and get_absolute_url()
came to about a tenth of a render's CPU. The answer depends only on the URL
configuration, the script prefix, the view name, its arguments and the
current application, so this keeps the answers (the newest 10,000) keyed by
exactly those. A failed reversal is not kept: it raises every time.

The `{% url %}` tag of every template uses it: TEMPLATES' OPTIONS
"builtins" adds core.template_urls, whose url tag is Django's own but for
calling cached_reverse().
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=10_000)
def _reversed(urlconf, prefix, view_name, args, kwargs, current_app):
    # The prefix is in the key only: reverse() reads the same value itself.
    del prefix
    return reverse(
        view_name,
        urlconf=urlconf,
        args=[value for _, value in args],
        kwargs={name: value for name, _, value in kwargs},
        current_app=current_app,
    )


def cached_reverse(view_name, *, args=(), kwargs=None, current_app=None):
    """reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)."""
    # Each value's type is in the key: 1 and True are equal, "1" and "True" are not.
    typed_args = tuple((type(value), value) for value in args)
    typed_kwargs = tuple(
        sorted((name, type(value), value) for name, value in (kwargs or {}).items())
    )
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    try:
        return _reversed(
            urlconf, get_script_prefix(), view_name, typed_args, typed_kwargs, current_app
        )
    except TypeError:
        # An argument that cannot be a key (a list, say): reversed as it is.
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
