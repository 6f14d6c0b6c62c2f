"""Newest-first pages that never count the whole list.

A page reads one row more than it shows, to know whether an older page
exists, so page 1 of a hub with 50,000 articles costs what page 1 of a hub
with 5 costs. Deeper pages skip rows through the index; readers rarely go far.
"""

from dataclasses import dataclass

from django.http import Http404


@dataclass
class Page:
    items: list
    number: int
    has_older: bool

    @property
    def has_newer(self):
        return self.number > 1

    @property
    def older_number(self):
        return self.number + 1

    @property
    def newer_number(self):
        return self.number - 1


def page_number(request, *, param="page"):
    """The page asked for in the query string; 404 for anything but a whole number from 1."""
    value = request.GET.get(param, "1")
    if not value.isdigit() or int(value) < 1:
        raise Http404("No such page.")
    return int(value)


def newest_first_page(queryset, *, number, size):
    """Page `number` (1 is the newest) of an already ordered `queryset`.

    A page past the end answers 404, except page 1, which may be empty.
    """
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    if number > 1 and not rows:
        raise Http404("No such page.")
    return Page(items=rows[:size], number=number, has_older=len(rows) > size)
