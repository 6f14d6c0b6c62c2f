"""Drafts in the admin's change forms of articles and categories.

On a live article (and on any category, which is always public) the form's
“Save draft” keeps the changes in a Draft and “Publish changes” puts them
live (articles.drafts.publish_draft); an unpublished article saves as
before. Beside the form: Preview, in the site's own page; the autosave and
heartbeat endpoints the form's script (static/js/autosave.js) posts to; and
the notice of who else is editing. Every endpoint answers 403 to anyone who
may not change the object, and none is ever cached.
"""

from dataclasses import dataclass, field
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from articles import drafts
from articles.models import Draft
from articles.views import article_draft_preview, category_draft_preview


def clock(moment):
    """A time as the status line shows it: “12:04”, in the site's time zone."""
    return date_format(timezone.localtime(moment), "H:i")


@dataclass
class DraftState:
    """What one request to a change form knows about the object's draft."""

    live: bool
    draft: Draft | None
    seen_version: int = 0
    # The form's values: those it opens with (GET), or those a draft save keeps.
    values: dict = field(default_factory=dict)
    restored: bool = False
    publishing: bool = False
    replacing: bool = False
    saved: Draft | None = None


def seen_version(data):
    """The version of the draft the posted form had seen (0: none, or junk)."""
    try:
        return max(0, int(data.get("draft_version", 0)))
    except (TypeError, ValueError):
        return 0


def draft_form(form_class, state, user):
    """`form_class` opening with the draft's values, and refusing to save over
    someone else's newer draft until the editor confirms (“Replace their draft”)."""

    class DraftForm(form_class):
        draft_conflict = None
        # Read by the checks before publishing (articles.admin.ArticleForm):
        # a save that only keeps a draft puts nothing before readers.
        saves_a_draft = state.live and not state.publishing

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if not self.is_bound and state.values:
                self.initial.update(initial_values(self, state.values))

        def clean(self):
            cleaned = super().clean()
            draft = state.draft
            if not state.replacing and drafts.is_newer(
                draft, seen_version=state.seen_version, user=user
            ):
                self.draft_conflict = draft
                raise ValidationError(
                    f"{drafts.display_name(draft.last_editor)} saved a newer draft of this page "
                    f"at {clock(draft.last_changed_at)}, after you opened it. Your text is kept "
                    "below: press “Replace their draft” to save yours over theirs, or open "
                    "the page in a new tab to read theirs first.",
                    code="newer_draft",
                )
            if state.live and not state.publishing:
                try:
                    state.values = drafts.form_values(self.data, field_names=set(self.fields))
                except drafts.DraftRefused as refused:
                    raise ValidationError(str(refused), code="too_large") from None
            return cleaned

    return DraftForm


def initial_values(form, values):
    """Draft values as the form's initial values, read by each field's own widget."""
    data = drafts.as_form_data(values)
    return {
        name: formfield.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, formfield in form.fields.items()
        if not isinstance(formfield, forms.FileField)
    }


def autosave_problem(form):
    """Why the form's values cannot be autosaved, or None.

    Text may be anything while it is being written (an empty title, a long
    one): the form says so when it is saved. A value no form would send
    (a category that does not exist, a date that is not one) is refused.
    """
    form.is_valid()
    for name, errors in form.errors.as_data().items():
        formfield = form.fields.get(name)
        if formfield is None or isinstance(formfield, forms.CharField):
            continue
        if all(error.code == "required" for error in errors):
            continue
        return f"{formfield.label or name}: {errors[0].messages[0]}"
    return None


class DraftAdminMixin:
    """For the admins of articles and categories: see the module docstring.

    Place it just before the admin base class, so that its save_model is the
    one that saves (or keeps a draft instead)."""

    change_form_template = "admin/articles/draft_change_form.html"

    def is_live(self, obj):
        """Whether readers see `obj` now, so that changes wait for “Publish changes”."""
        return True

    # -- the change form -------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None or not self.has_change_permission(request, obj):
            return super().changeform_view(request, object_id, form_url, extra_context)
        draft = drafts.draft_of(obj)
        state = DraftState(live=self.is_live(obj), draft=draft)
        if request.method == "POST":
            state.seen_version = seen_version(request.POST)
            replace = request.POST.get("_replace_draft", "")
            state.replacing = bool(replace)
            state.publishing = "_publish" in request.POST or replace == "_publish"
            others = drafts.others_editing(obj=obj, user=request.user)
        else:
            state.seen_version = draft.version if draft else 0
            state.restored = request.GET.get("restore") == "autosave" and bool(
                draft and draft.has_autosave
            )
            if state.restored:
                state.values = draft.autosave
            elif draft and draft.has_saved_draft:
                state.values = draft.data
            others = drafts.editing(obj=obj, user=request.user)
        request._draft_state = state
        context = {
            "draft_state": state,
            "draft_urls": self.draft_urls(obj),
            "others_editing": others,
            "autosave_seconds": settings.DRAFT_AUTOSAVE_SECONDS,
            "heartbeat_seconds": settings.DRAFT_HEARTBEAT_SECONDS,
            "offer_autosave": bool(draft and draft.has_autosave and not state.restored),
            "replace_action": "_publish" if state.publishing else "_save",
        }
        return super().changeform_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        state = getattr(request, "_draft_state", None)
        if obj is None or state is None:
            return form_class
        return draft_form(form_class, state, request.user)

    def _keeps_a_draft(self, request):
        state = getattr(request, "_draft_state", None)
        return state is not None and state.live and not state.publishing

    def save_model(self, request, obj, form, change):
        state = getattr(request, "_draft_state", None)
        if state is None or not change:
            super().save_model(request, obj, form, change)
        elif self._keeps_a_draft(request):
            state.saved = drafts.save_draft(
                obj=obj,
                user=request.user,
                values=state.values,
                seen_version=state.seen_version,
                replace_newer=True,  # the form asked first (DraftForm.clean)
            )
            if request.FILES:
                self.message_user(
                    request,
                    "A draft keeps text and settings but not files: choose the new image "
                    "again when you publish the changes.",
                    messages.WARNING,
                )

        elif state.live:
            # The history names who published; it also names who wrote the
            # draft when that was someone else and no reason was given.
            editor = state.draft.last_editor if state.draft else None
            reason = getattr(obj, "_change_reason", "")
            if not reason and editor and editor.pk != request.user.pk:
                reason = f"Published changes drafted by {drafts.display_name(editor)}"
            drafts.publish_draft(obj=obj, user=request.user, reason=reason)
        else:
            super().save_model(request, obj, form, change)
            drafts.discard_draft(obj=obj)

    def save_related(self, request, form, formsets, change):
        if not self._keeps_a_draft(request):
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # A kept draft saves no inline (references and the like wait for
        # "Publish changes", which saves them), so there is nothing to list.
        if self._keeps_a_draft(request):
            return "Saved a draft of changes (not published)."
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if self._keeps_a_draft(request):
            message = "Saved a draft of changes (not published)."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        state = getattr(request, "_draft_state", None)
        if self._keeps_a_draft(request):
            self.message_user(
                request,
                f"Draft saved at {clock(state.saved.saved_at)}. Readers still see the published "
                "page: press “Preview” to see the draft, “Publish changes” to put it live.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        if state is not None and state.live:
            self.message_user(request, "The changes are live.", messages.SUCCESS)
        return super().response_change(request, obj)

    # -- endpoints beside the form ------------------------------------------

    def draft_urls(self, obj):
        info = self.opts.app_label, self.opts.model_name
        return {
            name: reverse(f"admin:{info[0]}_{info[1]}_draft_{name}", args=[obj.pk])
            for name in ("preview", "autosave", "discard", "discard_autosave", "editing")
        }

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        views = {
            "preview": ("draft/preview/", self.preview_view),
            "autosave": ("draft/autosave/", self.autosave_view),
            "discard": ("draft/discard/", self.discard_view),
            "discard_autosave": ("draft/discard-autosave/", self.discard_autosave_view),
            "editing": ("editing/", self.editing_view),
        }
        own = [
            path(
                f"<path:object_id>/{route}",
                self._editor_view(view),
                name=f"{info[0]}_{info[1]}_draft_{name}",
            )
            for name, (route, view) in views.items()
        ]
        return own + super().get_urls()

    def _editor_view(self, view):
        """`view(request, obj)` for staff who may change `obj`: 403 for anyone
        else (signed out too: these are called by a script, not followed), 404
        for an object that does not exist; CSRF-checked, never cached."""

        @wraps(view)
        def wrapped(request, object_id):
            user = request.user
            if not (user.is_active and user.is_staff and self.has_change_permission(request)):
                raise PermissionDenied
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            return view(request, obj)

        return never_cache(csrf_protect(wrapped))

    def _form_for(self, request, obj, data):
        form_class = super().get_form(request, obj, change=True)
        return form_class(data=data, files=None, instance=obj)

    def preview_view(self, request, obj):
        """GET: the newest draft in the site's page. POST (the form's Preview
        button): keep the form's values as the autosave, then show them."""
        draft = drafts.draft_of(obj)
        if request.method == "POST":
            form = self._form_for(request, obj, request.POST)
            problem = autosave_problem(form)
            try:
                values = drafts.form_values(request.POST, field_names=set(form.fields))
            except drafts.DraftRefused as refused:
                problem = str(refused)
            if problem is None:
                try:
                    drafts.save_draft(
                        obj=obj,
                        user=request.user,
                        values=values,
                        seen_version=seen_version(request.POST),
                        autosave=True,
                    )
                except drafts.NewerDraft:
                    return self._render_preview(request, form, draft)  # shown, not kept
                return HttpResponseRedirect(request.path)
            self.message_user(request, f"Not previewed: {problem}", messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self._info()}_change", args=[obj.pk]))
        if draft is None:
            self.message_user(request, "There is no draft to preview.", messages.INFO)
            return HttpResponseRedirect(reverse(f"admin:{self._info()}_change", args=[obj.pk]))
        form = self._form_for(request, obj, drafts.as_form_data(draft.newest_values))
        return self._render_preview(request, form, draft)

    def _render_preview(self, request, form, draft):
        form.is_valid()  # applies every valid value to the (unsaved) instance
        shown = form.instance
        shown.fill_derived_fields()
        view = (
            article_draft_preview if shown._meta.model_name == "article" else category_draft_preview
        )
        response = view(request, slug=shown.slug, draft_object=shown, draft=draft)
        return response.render()

    def _info(self):
        return f"{self.opts.app_label}_{self.opts.model_name}"

    @staticmethod
    def _json_error(message, status):
        return JsonResponse({"error": message}, status=status)

    def autosave_view(self, request, obj):
        """The form's values, posted by its script, kept as the autosave:
        never the live page. JSON in every case."""
        if request.method != "POST":
            return self._json_error("Send the form with POST.", 405)
        form = self._form_for(request, obj, request.POST)
        problem = autosave_problem(form)
        if problem:
            return self._json_error(problem, 400)
        try:
            values = drafts.form_values(request.POST, field_names=set(form.fields))
            draft = drafts.save_draft(
                obj=obj,
                user=request.user,
                values=values,
                seen_version=seen_version(request.POST),
                autosave=True,
            )
        except drafts.DraftRefused as refused:
            return self._json_error(str(refused), 413)
        except drafts.NewerDraft as newer:
            draft = newer.draft
            return self._json_error(
                f"{drafts.display_name(draft.last_editor)} saved a newer draft at "
                f"{clock(draft.last_changed_at)}",
                409,
            )
        return JsonResponse({"saved_at": clock(draft.autosaved_at), "version": draft.version})

    def discard_view(self, request, obj):
        if request.method != "POST":
            return self._json_error("Send the form with POST.", 405)
        drafts.discard_draft(obj=obj)
        self.message_user(
            request, "The draft was discarded: the form shows the published page.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse(f"admin:{self._info()}_change", args=[obj.pk]))

    def discard_autosave_view(self, request, obj):
        if request.method != "POST":
            return self._json_error("Send the form with POST.", 405)
        drafts.discard_autosave(obj=obj)
        self.message_user(request, "The autosaved draft was discarded.", messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:{self._info()}_change", args=[obj.pk]))

    def editing_view(self, request, obj):
        """The form's heartbeat: it is still open (or, with `leaving`, closed);
        answers with the names of the others editing the same object."""
        if request.method != "POST":
            return self._json_error("Send the form with POST.", 405)
        if request.POST.get("leaving"):
            drafts.stopped_editing(obj=obj, user=request.user)
            return JsonResponse({"others": []})
        return JsonResponse({"others": drafts.editing(obj=obj, user=request.user)})
