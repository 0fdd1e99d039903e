"""Candidates' question rows straight from `.values()`.

What CandidateQuestionSerializer returns, built from plain rows: on a page of
twenty questions the serializer spends about 4 ms per request building field
objects' output, these rows a fraction of that (docs/benchmarks.md). The
serializer stays the definition (and the schema); a test holds the two equal.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from rest_framework.fields import DateTimeField

from questions.models import Question

# Model values to read, and the field of the output each becomes.
COLUMNS = {
    "id": "id",
    "key": "key",
    "category__slug": "category",
    "title": "title",
    "prompt": "prompt",
    "difficulty": "difficulty",
    "expected_minutes": "expected_minutes",
    "status": "status",
    "revision": "revision",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
OUTPUT_ORDER = ("id", "key", "category", "tags", "title", "prompt", "difficulty", "expected_minutes", "status",
                "revision", "created_at", "updated_at")  # fmt: skip
_datetime = DateTimeField()  # DRF's own formatting, so the output is the serializer's


def candidate_values(questions: QuerySet[Question]) -> QuerySet:
    """The rows to page through: `questions` (filtered, ordered) as `.values()`."""
    return questions.values(*COLUMNS)


def candidate_rows(values: Iterable[dict]) -> list[dict]:
    """Output rows for `values` from candidate_values, with their tags read in one query."""
    values = list(values)
    tags = defaultdict(list)
    through = Question.tags.through.objects.filter(question_id__in=[row["id"] for row in values])
    for question_id, slug in through.order_by("tag__slug").values_list("question_id", "tag__slug"):
        tags[question_id].append(slug)
    rows = []
    for row in values:
        out = {COLUMNS[name]: value for name, value in row.items() if name in COLUMNS}
        out["tags"] = tags[row["id"]]
        out["created_at"] = _datetime.to_representation(out["created_at"])
        out["updated_at"] = _datetime.to_representation(out["updated_at"])
        rows.append({name: out[name] for name in OUTPUT_ORDER})
    return rows
