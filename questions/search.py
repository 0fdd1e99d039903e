"""Searching the bank's questions by their text (`?search=` on the question list).

PostgreSQL: full-text search. Migration 0006 keeps a stored, generated
`tsvector` per question (title at weight A, prompt at weight B, the
`english` configuration, so "indexes" finds "index") with a GIN index on it.
The text is read as web-search syntax (`websearch_to_tsquery`): words are
all required, `"a quoted phrase"` must appear as written, `-word` excludes,
`or` between words allows either. It is matched with `@@` against the stored
column, never a vector computed per row, so the GIN index finds the matches
without reading the table; then matches are ordered by `ts_rank` (a title
hit above a prompt-only hit), ties by id. Words the configuration ignores
("the", "a") match nothing on their own.

SQLite (the laptop default) has no text-search configuration here, so the
fallback is deliberately plain: each word must appear in the title or the
prompt as a case-insensitive substring (no stemming), `"quoted words"` as
written, `-word` excludes and `or` allows either, like the web-search
syntax; questions with every required word in the title come first, then
by id. It reads every row, which a laptop bank of hundreds does not notice.

Ranking cost at scale: ts_rank needs each match's vector, so ranking reads
every matching row and sorts them. Up to RANK_LIMIT matches that costs a few
milliseconds; beyond it the search is a common word, and its matches are
ordered by id instead (the primary key walks them in order and stops at the
page). Which of the two is decided by the exact number of matches: the list
passes the count its pagination needs anyway (cached per bank version and
filter), so the decision costs no query of its own and the count shown is
the count of what is paged. The exact count of a common word is itself a
scan of its matches; docs/benchmarks.md has the figures.
"""

import re
from collections.abc import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorExact, SearchVectorField
from django.db import connection
from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Col

# The longest search text accepted: a question's title is at most 200 characters.
MAX_SEARCH_LENGTH = 200
# Matches ranked by relevance at most; more are ordered by id (see above). Page 1 at 1M
# questions, ranked vs by id: 4 vs 30 ms for 1k matches, 11 vs 8 ms for 3k, 28 vs 3 ms
# for 10k (docs/benchmarks.md): about where the two cost the same.
RANK_LIMIT = 3000
# The stored tsvector column migration 0006 adds on PostgreSQL (not a model field).
SEARCH_COLUMN = "search_vector"
CONFIG = "english"


def search_questions(
    queryset: QuerySet, text: str, *, ranked: bool = True, count: Callable[[QuerySet], int] | None = None
) -> QuerySet:
    """`queryset` narrowed to questions matching `text`; with `ranked`, best matches first.

    Empty or blank text filters nothing. Without `ranked` the queryset's own
    ordering is kept (an explicit `?ordering=`). `count(matches)`, when given,
    says how many the matches are (the caller's cached count); otherwise up
    to RANK_LIMIT + 1 of them are counted to choose the order.
    """
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return _postgresql(queryset, text, ranked=ranked, count=count)
    return _fallback(queryset, text, ranked=ranked)


class _StoredVector(Expression):
    """The query's own questions table's `search_vector` column, as a column reference.

    Resolved to a `Col` of the query's base table, so it is relabelled like
    any column when the queryset becomes a subquery.
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        target = SearchVectorField()
        target.column = SEARCH_COLUMN
        return Col(query.get_initial_alias(), target)


def _postgresql(queryset: QuerySet, text: str, *, ranked: bool, count) -> QuerySet:
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    matches = queryset.filter(SearchVectorExact(_StoredVector(), query))
    if not ranked:
        return matches
    many = count(matches) if count is not None else matches.order_by()[: RANK_LIMIT + 1].count()
    if many > RANK_LIMIT:
        return matches.order_by("id")
    return matches.order_by(SearchRank(_StoredVector(), query).desc(), "id")


# A quoted phrase, or a run of non-space characters, optionally preceded by "-".
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def _fallback(queryset: QuerySet, text: str, *, ranked: bool) -> QuerySet:
    """The SQLite search, read like websearch_to_tsquery: words ANDed, groups separated by
    `or` ORed, `-word` excluded (alone, it finds every question without the word)."""
    groups: list[list[tuple[bool, str]]] = [[]]
    for match in _TOKEN.finditer(text):
        negated, term = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
        term = term.strip().strip('"')
        if not term:
            continue
        if term.lower() == "or" and not negated and match[2] is None:
            groups.append([])
            continue
        groups[-1].append((bool(negated), term))
    groups = [group for group in groups if group]
    if not groups:  # nothing searchable ("-", a lone quote): nothing matches, as on PostgreSQL
        return queryset.none()
    matching, in_title = Q(), Q()
    for group in groups:
        required, title_has_all = Q(), Q()
        for negated, term in group:
            found = Q(title__icontains=term) | Q(prompt__icontains=term)
            required &= ~found if negated else found
            if not negated:
                title_has_all &= Q(title__icontains=term)
        matching |= required
        if title_has_all:
            in_title |= title_has_all
    matches = queryset.filter(matching)
    if not ranked:
        return matches
    if not in_title:  # only exclusions: no word to find in a title
        return matches.order_by("id")
    title_first = Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
    return matches.order_by(title_first, "id")
