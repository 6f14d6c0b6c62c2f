"""Full-text matching and ranking of articles, one way per database.

Both read an index a database trigger keeps in step with articles_article:
PostgreSQL a stored, GIN-indexed tsvector (migration 0006), SQLite an FTS5
table (migration 0008). Both stem English words, so "knees" finds "knee",
need every word of the query, and rank a match in the title above one in the
excerpt above one in the body, however often the body repeats the word.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Expression, F, FloatField, Func, IntegerField, Value

# ts_rank weights in PostgreSQL's order D, C, B, A: the body is C, the excerpt
# B, the title A (0006's trigger); nothing is D. ts_rank caps the repeats of a
# word at about 1.6 times its weight, so one title match outranks any body.
TSVECTOR_WEIGHTS = [0.1, 0.1, 0.4, 1.0]

_WORD = re.compile(r"[^\W_]")


def match_and_rank(articles, text):
    """`articles` matching the words of `text`, and an expression scoring how
    well each matches (higher is better), for `.annotate(rank=...)`."""
    if connections[articles.db].vendor == "postgresql":
        terms = SearchQuery(text, search_type="websearch", config="english")
        rank = SearchRank(F("search_document"), terms, weights=TSVECTOR_WEIGHTS)
        return articles.filter(search_document=terms), rank
    match = fts5_query(text)
    if not match:
        return articles.none(), Value(0.0)
    return articles.filter(pk__in=FTS5Matches(match)), FTS5Score(match)


def fts5_query(text):
    """An FTS5 MATCH expression for rows holding every word of `text`.

    Each whitespace-separated word becomes a quoted string (its own quotes
    doubled), so nothing a reader types is read as query syntax: `AND`,
    `NEAR(`, `*`, `-`, `^`, `title:` are words like any other and no search
    is an FTS5 syntax error. Words with no letter or digit are left out;
    an empty result means nothing can match.
    """
    words = [word for word in text.split() if _WORD.search(word)]
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


class FTS5Matches(Expression):
    """The ids of the articles an FTS5 MATCH expression finds, for `pk__in`."""

    def __init__(self, match):
        super().__init__(output_field=IntegerField())
        self.match = match

    def as_sql(self, compiler, connection):
        sql = "(SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s)"
        return sql, (self.match,)


class FTS5Score(Func):
    """How well an article matches an FTS5 MATCH expression, higher is better:
    the best field with a word of the query in it (title 2, excerpt 1, body
    0), plus bm25() over the title, excerpt and body weighted 10, 4 and 1,
    squeezed into [0, 1) so it orders articles within a field only.

    bm25() alone cannot keep a title match first: it weighs each word's count
    before capping it, and discounts a long article as a whole, so a short
    article saying "knee" in its excerpt and body outranked "What is
    Runner's Knee?". And a word in most of the archive scores about nothing.

    A correlated subquery, so only the rows kept (the newest matches) are
    scored; FTS5 finds each by its rowid among the matches."""

    # The two expressions, the match and the article's id, joined into
    # "... MATCH %s AND articles_article_fts.rowid = <the article's id column>".
    template = (
        "(SELECT CASE WHEN bm25(articles_article_fts, 1.0, 0.0, 0.0) < 0 THEN 2"
        " WHEN bm25(articles_article_fts, 0.0, 1.0, 0.0) < 0 THEN 1 ELSE 0 END"
        " - bm25(articles_article_fts, 10.0, 4.0, 1.0)"
        " / (1.0 - bm25(articles_article_fts, 10.0, 4.0, 1.0))"
        " FROM articles_article_fts WHERE articles_article_fts MATCH %(expressions)s)"
    )
    arg_joiner = " AND articles_article_fts.rowid = "
    output_field = FloatField()

    def __init__(self, match):
        super().__init__(Value(match), F("pk"))
