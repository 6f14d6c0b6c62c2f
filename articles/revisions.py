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

from core.markup import html_to_text

# Unchanged words shown on each side of a change.
CONTEXT_WORDS = 6


@dataclass(frozen=True)
class Words:
    """A run of words: "same", "removed" or "added"; "gap" stands for unchanged words left out."""

    kind: str
    text: str = ""


class _WordMatcher(difflib.SequenceMatcher):
    """SequenceMatcher that compares only what lies between the words both
    versions start and end with: most edits touch one place in a long body,
    and the full comparison of thousands of words takes a second or more."""

    def get_opcodes(self):
        before, after = self.a, self.b
        start = 0
        while start < min(len(before), len(after)) and before[start] == after[start]:
            start += 1
        end = 0
        while (
            end < min(len(before), len(after)) - start
            and before[len(before) - 1 - end] == after[len(after) - 1 - end]
        ):
            end += 1
        middle = difflib.SequenceMatcher(
            a=before[start : len(before) - end], b=after[start : len(after) - end]
        )
        opcodes = [("equal", 0, start, 0, start)] if start else []
        for tag, i1, i2, j1, j2 in middle.get_opcodes():
            opcodes.append((tag, i1 + start, i2 + start, j1 + start, j2 + start))
        if end:
            opcodes.append(("equal", len(before) - end, len(before), len(after) - end, len(after)))
        return opcodes or [("equal", 0, 0, 0, 0)]


def word_changes(old, new, *, context=CONTEXT_WORDS):
    """The words of `old` removed and of `new` added, in reading order, each
    change with up to `context` unchanged words around it. Plain text in,
    plain text out: the template escapes it."""
    before, after = (old or "").split(), (new or "").split()
    matcher = _WordMatcher(a=before, b=after)
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
