"""Security headers on every response, beside what Django's SecurityMiddleware sets."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

# django-ckeditor's widget marks its text area with this attribute.
CKEDITOR_WIDGET_MARK = b'data-type="ckeditortype"'


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses (camera, location, payment…)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def is_admin_path(path):
    return path.startswith("/" + settings.ADMIN_PATH)


def is_editor_page(request, response):
    """CKEditor's own pages (/ckeditor/: image browser, uploads) and admin forms with its widget."""
    if request.path_info.startswith("/ckeditor/"):
        return True
    return (
        is_admin_path(request.path_info)
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and CKEDITOR_WIDGET_MARK in response.content
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy by who the page is for.

    Readers' pages: settings.CONTENT_SECURITY_POLICY (no inline script, no
    other host). Staff pages: settings.CONTENT_SECURITY_POLICY_ADMIN, and only
    those that carry a CKEditor widget get CONTENT_SECURITY_POLICY_EDITOR,
    which lets CKEditor 4 run. A view's own csp decorators still win.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if is_editor_page(request, response):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_EDITOR["DIRECTIVES"])
        elif is_admin_path(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts
