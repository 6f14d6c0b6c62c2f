"""What readers see while the database does not answer.

Pages that need the database answer 503 with templates/503.html, which is
drawn in the site's frame without touching the database. A view that
receives a form (a comment, say) can ask for the reader's text to be shown
again in that page, so nothing typed is lost: see keep_form_when_database_is_down.
"""

import logging

from django import forms
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is in requirements.txt
    DRIVER_ERRORS = ()
else:
    DRIVER_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)

# Django wraps driver errors in its own classes; the driver's are listed too
# for the few paths (closing a broken connection) where they escape unwrapped.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError, *DRIVER_ERRORS)

logger = logging.getLogger("core.maintenance")

KEPT_FORM_ATTRIBUTE = "form_kept_when_database_is_down"
NEVER_ECHOED = ("csrfmiddlewaretoken", "password")


# SQLite reports a missing table or column and bad SQL as OperationalError
# too: those are bugs (or a migration not run), which must stay 500s.
SQLITE_BUGS = ("no such table", "no such column", "syntax error", "has no column named")


def is_database_unavailable(exception):
    """True for errors that mean the database cannot be reached or cannot answer now."""
    if not isinstance(exception, DATABASE_DOWN_ERRORS):
        return False
    return not any(bug in str(exception) for bug in SQLITE_BUGS)


def keep_form_when_database_is_down(form_class=None):
    """Mark a view that receives a form by POST.

    If the database fails while the view runs, the 503 page shows the form
    again, filled with what the reader posted, and sends it back to the same
    address. `form_class` must be buildable with `initial=` alone; without it
    (or if it cannot be drawn without the database) each posted field is
    shown as a plain text box. Password fields are never sent back.
    """

    def decorator(view):
        setattr(view, KEPT_FORM_ATTRIBUTE, form_class or PostedFieldsForm)
        return view

    return decorator


class PostedFieldsForm(forms.Form):
    """Every field of a POST shown again as text, long or multi-line values in a text area."""

    def __init__(self, *args, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        for name, value in (initial or {}).items():
            widget = forms.Textarea if len(value) > 80 or "\n" in value else forms.TextInput
            label = name.replace("_", " ").capitalize()
            self.fields[name] = forms.CharField(label=label, required=False, widget=widget)


def posted_values(request):
    return {
        name: value
        for name, value in request.POST.items()
        if not any(word in name.lower() for word in NEVER_ECHOED)
    }


def database_unavailable_response(request, *, form_class=None):
    """The 503 maintenance page; with `form_class`, the posted form is shown again."""
    context = {"messages": (), "retry_minutes": max(1, settings.DATABASE_DOWN_RETRY_AFTER // 60)}
    template = loader.get_template("503.html")
    content = None
    if form_class is not None and request.method == "POST":
        context["form_action"] = request.get_full_path()
        initial = posted_values(request)
        for kind in dict.fromkeys([form_class, PostedFieldsForm]):
            try:
                content = template.render({**context, "form": kind(initial=initial)}, request)
                break
            except DATABASE_DOWN_ERRORS:
                continue
    if content is None:
        content = template.render(context, request)
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database that does not answer into the 503 maintenance page.

    Errors raised by views and while their templates are rendered arrive
    here; errors raised elsewhere (an error page's own template) reach the
    500 handler, which hands them to database_unavailable_response too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.form_kept_when_database_is_down = getattr(view_func, KEPT_FORM_ATTRIBUTE, None)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        form_class = getattr(request, "form_kept_when_database_is_down", None)
        return database_unavailable_response(request, form_class=form_class)
