"""What each revision in an article's history changed, for the admin's
History page: field by field, and for text the words removed and added."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from ckeditor.fields import RichTextField
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.text import html_to_text

# Unchanged words shown on each side of a change.
CONTEXT_WORDS = 6


@dataclass(frozen=True)
class Words:
    """A run of words: "same", "removed" or "added"; "gap" stands for unchanged words left out."""

    kind: str
    text: str = ""


def word_changes(old, new, *, context=CONTEXT_WORDS):
    """The words of `old` removed and of `new` added, in reading order, each
    change with up to `context` unchanged words around it. Plain text in,
    plain text out: the template escapes it."""
    before, after = (old or "").split(), (new or "").split()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts = []
    end = 0
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > end:
            parts.append(Words("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(Words("same", " ".join(before[i1:i2])))
                continue
            if i2 > i1:
                parts.append(Words("removed", " ".join(before[i1:i2])))
            if j2 > j1:
                parts.append(Words("added", " ".join(after[j1:j2])))
        end = group[-1][2]
    if parts and end < len(before):
        parts.append(Words("gap"))
    return [part for part in parts if part.kind != "same" or part.text]


class RevisionChanges(HistoricalRecordContextHelper):
    """simple_history's list of changed fields, with text fields as a word
    comparison (rich text compared by the words readers see, not its markup)
    instead of the first hundred characters of each version."""

    def context_for_delta_changes(self, delta):
        rows = []
        for change in delta.changes:
            field = self.model._meta.get_field(change.field)
            if isinstance(field, models.TextField):
                old, new = change.old or "", change.new or ""
                if isinstance(field, RichTextField):
                    old, new = html_to_text(old), html_to_text(new)
                rows.append(
                    {"field": capfirst(field.verbose_name), "words": word_changes(old, new)}
                )
            else:
                shown = self.format_delta_change(change)
                rows.append({"field": shown.field, "old": shown.old, "new": shown.new})
        return rows

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, datetime):
            # In the site's time zone, as the article form shows it.
            return date_format(timezone.localtime(value), "M d, Y h:i A")
        return super().prepare_delta_change_value(change, value)
