"""One pager for every list the site splits into pages.

Two ways of cutting the pages, one way of drawing them:

- `newest_first_page` never counts the whole list. A page reads one row more
  than it shows, to know whether an older page exists, so page 1 of a hub
  with 50,000 articles costs what page 1 of a hub with 5 costs. Deeper pages
  skip rows through the index; readers rarely go far. A hub's articles and an
  article's comments are paged this way.
- Django's Paginator counts the matches first, so it can say "Page 2 of 3":
  search results are paged this way (their number is capped).

Either page goes through `pager()`, which gives templates/includes/pager.html
its links; every pager on the site is that one partial.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404

PAGE_PARAMETER = "page"


@dataclass
class Page:
    """A page of a list that was not counted, read like Django's Page."""

    object_list: list
    number: int
    more_follow: bool

    def has_next(self):
        return self.more_follow

    def has_previous(self):
        return self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(request, *, param=PAGE_PARAMETER):
    """The page asked for in the query string; 404 for anything but a whole number from 1."""
    value = request.GET.get(param, "1")
    # ASCII digits only ("²" and "٣" are digits to str.isdigit), and few
    # enough of them that the offset fits every database's integers.
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or int(value) < 1:
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
    return Page(object_list=rows[:size], number=number, more_follow=len(rows) > size)


@dataclass(frozen=True)
class PageLink:
    url: str
    text: str


@dataclass(frozen=True)
class Pager:
    """What templates/includes/pager.html draws: a labelled navigation with a
    link to the previous page, the position when the pages were counted, and a
    link to the next page."""

    label: str
    previous: PageLink | None
    next: PageLink | None
    position: str = ""

    def __bool__(self):
        return bool(self.previous or self.next)


def page_url(number, *, url, params=None, fragment=""):
    """The address of page `number` of the list at `url`.

    Page 1 has no page number (for a list without other parameters, it is
    `url` itself); the others are relative query strings. Only `params` are
    kept, never the rest of the reader's query string, so a cached page
    never repeats what one reader typed to the next.
    """
    query = dict(params or {})
    if number > 1:
        query[PAGE_PARAMETER] = number
    address = f"?{urlencode(query)}" if query else url
    return address + fragment


def pager(page, *, url, label, previous_text, next_text, params=None, fragment=""):
    """The pager for `page` (ours or Django's) of the list at `url`.

    `label` names the navigation for screen readers; `params` are the query
    parameters every page keeps (a search's words); `fragment` is where each
    page opens (an anchor starting with #).
    """

    def link(number, text):
        return PageLink(page_url(number, url=url, params=params, fragment=fragment), text)

    counted = getattr(page, "paginator", None)
    return Pager(
        label=label,
        previous=link(page.previous_page_number(), previous_text) if page.has_previous() else None,
        next=link(page.next_page_number(), next_text) if page.has_next() else None,
        position=f"Page {page.number} of {counted.num_pages}" if counted else "",
    )
