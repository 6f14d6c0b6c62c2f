"""The Redirects admin: rows are stored under their canonical old address and
flattened (articles/redirects.py), and a CSV of old and new addresses can be
imported after a preview."""

from django import forms
from django.contrib import admin, messages
from django.contrib.redirects.admin import RedirectAdmin as DjangoRedirectAdmin
from django.contrib.redirects.models import Redirect
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles.redirects import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    RedirectFileError,
    RedirectRefused,
    canonical_old_path,
    import_redirects,
    import_summary,
    plan_redirect,
    read_redirects_csv,
    repoint_redirects_to,
)

# The signed CSV carried from the preview to the confirmation.
_SALT = "articles.admin_redirects.import"
_MAX_AGE = 60 * 60


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_path"), cleaned.get("new_path")
        if old and new:
            try:
                cleaned["old_path"], cleaned["new_path"] = plan_redirect(old, new)
            except RedirectRefused as refused:
                raise forms.ValidationError(f"Not saved: {refused}.") from None
        elif old:  # no new address: the old one answers 410 Gone
            cleaned["old_path"] = canonical_old_path(old)
            if not cleaned["old_path"]:
                raise forms.ValidationError("Not saved: the old address is not a path.")
        return cleaned


class CsvUploadForm(forms.Form):
    csv_file = forms.FileField(
        label="CSV file",
        help_text=f"Two columns: old address, new address (a header row is optional). "
        f"Old addresses may be full addresses on the old site. At most {MAX_IMPORT_ROWS:,} "
        f"rows and {MAX_IMPORT_BYTES // (1024 * 1024)} MB.",
    )


class RedirectAdmin(DjangoRedirectAdmin):
    form = RedirectForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        repoint_redirects_to(obj.old_path, obj.new_path)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="redirects_redirect_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload → preview (nothing written) → confirm (one transaction)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import redirects from CSV",
            "form": CsvUploadForm(),
        }
        if request.method == "POST" and "signed_csv" in request.POST:
            try:
                data = signing.loads(request.POST["signed_csv"], salt=_SALT, max_age=_MAX_AGE)
                rows = read_redirects_csv(data.encode("utf-8"))
            except (signing.BadSignature, RedirectFileError):
                messages.error(request, "The preview has expired or was altered; upload again.")
                return redirect("admin:redirects_redirect_import")
            rows = import_redirects(rows)
            level = (
                messages.WARNING if any(r.outcome == "refused" for r in rows) else messages.SUCCESS
            )
            messages.add_message(request, level, import_summary(rows))
            return redirect("admin:redirects_redirect_changelist")
        if request.method == "POST":
            form = CsvUploadForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                upload = form.cleaned_data["csv_file"]
                try:
                    if upload.size > MAX_IMPORT_BYTES:
                        raise RedirectFileError(
                            f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; "
                            "split it."
                        )
                    data = upload.read()
                    rows = read_redirects_csv(data)
                except RedirectFileError as error:
                    form.add_error("csv_file", str(error))
                else:
                    rows = import_redirects(rows, dry_run=True)
                    context.update(
                        rows=rows,
                        summary=import_summary(rows, dry_run=True),
                        signed_csv=signing.dumps(
                            data.decode("utf-8-sig"), salt=_SALT, compress=True
                        ),
                    )
        return TemplateResponse(request, "admin/redirects/redirect/import.html", context)


admin.site.unregister(Redirect)
admin.site.register(Redirect, RedirectAdmin)
