"""Drafts of changes to live articles and categories, their autosave, and who
else is editing: one function per thing that happens, called by the admin
(articles/admin_drafts.py) and the tests alike.

A draft holds the change form's own values ({field name: [strings]}), so it
can hold what the editor typed even while the form would not validate yet.
Nothing here changes what readers see, except publish_draft.
"""

import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from articles.models import Draft, EditingSession
from articles.models.draft import target
from articles.text import drop_control_characters


class DraftRefused(ValueError):
    """The values cannot be kept as a draft; the message says why, for the editor."""


class NewerDraft(Exception):  # noqa: N818 (a situation to ask about, not an error)
    """Someone else wrote the draft after the form saving over it was opened."""

    def __init__(self, draft):
        super().__init__(f"{display_name(draft.last_editor)} saved a newer draft")
        self.draft = draft


def display_name(user):
    if user is None:
        return "A former editor"
    return user.get_full_name() or user.get_username()


def form_values(data, *, field_names):
    """The values in `data` (a QueryDict or a dict of lists) of the form's own
    fields: each field's name and the names of its parts (`published_at_0`),
    as {name: [strings]}. Buttons, the CSRF token and anything else are left
    out, and so are control characters (PostgreSQL stores no NUL)."""
    values = {}
    for key in data:
        stem, _, part = key.rpartition("_")
        if key in field_names or (stem in field_names and part.isdigit()):
            values[key] = [drop_control_characters(str(value)) for value in data.getlist(key)]
    if len(json.dumps(values)) > settings.DRAFT_MAX_BYTES:
        raise DraftRefused(
            f"The draft is larger than {settings.DRAFT_MAX_BYTES // 1024} KB; it was not saved."
        )
    return values


def as_form_data(values):
    """Stored draft values as the data a form reads (the inverse of form_values)."""
    return MultiValueDict({key: list(items) for key, items in values.items()})


def draft_of(obj):
    """The draft of an article or a category, with who wrote it, or None."""
    return Draft.objects.of(obj).select_related("saved_by", "autosaved_by").first()


def is_newer(draft, *, seen_version, user):
    """Whether someone other than `user` wrote `draft` after a form that saw
    `seen_version` of it was opened."""
    if draft is None or draft.version <= seen_version:
        return False
    editor = draft.last_editor
    return editor is None or editor.pk != user.pk


def save_draft(*, obj, user, values, seen_version, autosave=False, replace_newer=False):
    """Keep `values` as the draft of `obj` and return the draft.

    `autosave` keeps them as the autosave, beside the saved draft; otherwise
    they become the saved draft and any autosave is dropped. Raises NewerDraft
    when someone else wrote the draft after version `seen_version`, unless
    `replace_newer`: nobody's draft is replaced without being asked.
    """
    with transaction.atomic():
        draft, _ = Draft.objects.select_for_update().get_or_create(**target(obj))
        if not replace_newer and is_newer(draft, seen_version=seen_version, user=user):
            raise NewerDraft(draft)
        now = timezone.now()
        if autosave:
            draft.autosave, draft.autosaved_by, draft.autosaved_at = values, user, now
        else:
            draft.data, draft.saved_by, draft.saved_at = values, user, now
            draft.autosave, draft.autosaved_by, draft.autosaved_at = {}, None, None
        draft.version += 1
        draft.save()
    return draft


def discard_draft(*, obj):
    """Drop the draft of `obj`, saved and autosaved alike; the live text stays."""
    Draft.objects.of(obj).delete()


def discard_autosave(*, obj):
    """Drop what the form saved by itself, keeping a draft saved by hand."""
    with transaction.atomic():
        draft = Draft.objects.of(obj).select_for_update().first()
        if draft is None:
            return
        if not draft.data:
            draft.delete()
            return
        draft.autosave, draft.autosaved_by, draft.autosaved_at = {}, None, None
        draft.version += 1
        draft.save()


def publish_draft(*, obj, user, reason=""):
    """Put the changes `obj` carries live and drop its draft: the one place
    “Publish changes” goes through.

    `obj` is the live article or category with the draft's values applied
    and validated by its form. The save keeps a revision in the article's
    history naming `user` and `reason`, and refreshes the pages
    (Article.save, articles.saving).
    """
    with transaction.atomic():
        if reason:
            obj._change_reason = reason[:100]  # the length of simple_history's column
        obj._history_user = user
        obj.save()
        discard_draft(obj=obj)
    return obj


def others_editing(*, obj, user):
    """The other editors of `obj`, as names: those whose form said it was open
    within DRAFT_PRESENCE_SECONDS, then whoever wrote its draft."""
    sessions = (
        EditingSession.objects.of(obj)
        .recent()
        .exclude(user=user)
        .select_related("user")
        .order_by("seen_at")
    )
    editors = {session.user.pk: session.user for session in sessions}
    draft = draft_of(obj)
    if draft is not None and draft.last_editor and draft.last_editor.pk != user.pk:
        editors.setdefault(draft.last_editor.pk, draft.last_editor)
    return [display_name(editor) for editor in editors.values()]


def editing(*, obj, user):
    """Record that `user` has the form of `obj` open now; return the others editing it."""
    EditingSession.objects.update_or_create(
        **target(obj), user=user, defaults={"seen_at": timezone.now()}
    )
    return others_editing(obj=obj, user=user)


def stopped_editing(*, obj, user):
    """`user` closed the form of `obj`."""
    EditingSession.objects.of(obj).filter(user=user).delete()
