"""Full-text matching and ranking of articles, one way per database.

Both read an index a database trigger keeps in step with articles_article:
PostgreSQL a stored, GIN-indexed tsvector (migration 0006), SQLite an FTS5
table (migration 0008). Both stem English words, so "knees" finds "knee",
need every word of the query, and rank a match in the title above one in the
excerpt above one in the body, however often the body repeats the word;
among equals the newest comes first (ArticleQuerySet.search).
"""

import operator
import re
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, Expression, F, IntegerField, Value, When

# ts_rank weights in PostgreSQL's order D, C, B, A: the body is C, the excerpt
# B, the title A (0006's trigger); nothing is D. ts_rank caps the repeats of a
# word at about 1.6 times its weight, so one title match outranks any body.
TSVECTOR_WEIGHTS = [0.1, 0.1, 0.4, 1.0]

_WORD = re.compile(r"[^\W_]")
# What a word of the query scores, by the best field it is found in.
FIELD_WEIGHTS = (("title", 10), ("excerpt", 4))
BODY_WEIGHT = 1
# Words too common to search for, left out of SQLite queries as PostgreSQL's
# "english" configuration leaves them out: "pain in the knee" then needs only
# "pain" and "knee", on either database.
_STOP_WORDS = """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with you your yours yourself
    yourselves"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def match_and_rank(articles, text):
    """`articles` matching the words of `text`, and an expression scoring how
    well each matches (higher is better), for `.annotate(rank=...)`."""
    if connections[articles.db].vendor == "postgresql":
        terms = SearchQuery(text, search_type="websearch", config="english")
        rank = SearchRank(F("search_document"), terms, weights=TSVECTOR_WEIGHTS)
        return articles.filter(search_document=terms), rank
    phrases = fts5_phrases(text)
    if not phrases:
        return articles.none(), Value(0)
    matching = articles.filter(pk__in=FTS5Matches(" ".join(phrases)))
    return matching, reduce(operator.add, (_fts5_word_score(phrase) for phrase in phrases))


def fts5_phrases(text):
    """The words of `text` as FTS5 strings; all of them together are the
    MATCH expression for rows holding every word.

    Each whitespace-separated word becomes a quoted string (its own quotes
    doubled), so nothing a reader types is read as query syntax: `AND`,
    `NEAR(`, `*`, `-`, `^`, `title:` are words like any other and no search
    is an FTS5 syntax error. Words with no letter or digit, and STOP_WORDS,
    are left out.
    """
    words = [word for word in text.split() if _WORD.search(word) and word.lower() not in STOP_WORDS]
    return ['"' + word.replace('"', '""') + '"' for word in words]


def _fts5_word_score(phrase):
    """10 for an article with the word in its title, 4 in its excerpt, else 1.

    Not FTS5's bm25(): scored article by article it counts the documents
    holding each word afresh each time (about 0.3 ms an article in an archive
    of 5,000, for each of up to SEARCH_MAX_MATCHES articles a search), and its
    weights do not keep a title match first (it caps a word's weighted count
    and discounts long articles). Each set below is read from the index once
    per search."""
    whens = [
        When(pk__in=FTS5Matches(f"{{{field}}} : {phrase}"), then=Value(weight))
        for field, weight in FIELD_WEIGHTS
    ]
    return Case(*whens, default=Value(BODY_WEIGHT), output_field=IntegerField())


class FTS5Matches(Expression):
    """The ids of the articles an FTS5 MATCH expression finds, for `pk__in`."""

    def __init__(self, match):
        super().__init__(output_field=IntegerField())
        self.match = match

    def as_sql(self, compiler, connection):
        sql = "(SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s)"
        return sql, (self.match,)
