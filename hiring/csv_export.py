"""CSV of a question set's results, safe to open in a spreadsheet."""

import csv
import io

# A cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets (CSV injection); OWASP's advice is to prefix a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "candidate",
    "email",
    "session_id",
    "session_status",
    "position",
    "question_id",
    "title",
    "answer",
    "key_points_hit",
    "key_points_total",
    "rating",
    "time_spent_seconds",
    "answered_at",
    # The session's integrity event counts, repeated on each of its lines:
    # flags to weigh, not a verdict; empty when nothing is recorded (a session
    # not started from an invitation).
    "paste_events",
    "copy_events",
    "blur_events",
]


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def results_csv(rows: list[dict]) -> str:
    """One line per answered question of every session in the results."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        session = row["session"]
        if session is None:
            continue
        email = row["invitation"].email if row["invitation"] else session.candidate.email
        integrity = row.get("integrity") or {}
        for item in session.questions.all():
            if not item.answered:
                continue
            writer.writerow(
                safe_cell(v)
                for v in [
                    session.candidate.username,
                    email,
                    session.pk,
                    session.status,
                    item.position,
                    item.question_id,
                    item.title,
                    item.answer,
                    len(item.key_points_hit) if item.key_points_hit is not None else "",
                    len(item.key_points),
                    item.rating,
                    item.time_spent_seconds,
                    item.answered_at.isoformat(),
                    integrity.get("paste"),
                    integrity.get("copy"),
                    integrity.get("blur"),
                ]
            )
    return out.getvalue()


SCORECARD_COLUMNS = [
    "session_id",
    "candidate",
    "scorer",
    "recommendation",
    "position",
    "question_id",
    "title",
    "score",
    "key_points_hit",
]


def scorecards_csv(scores) -> str:
    """One line per score of every scorecard (ScorecardScore rows with scorecard, scorer, session, question)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SCORECARD_COLUMNS)
    for s in scores:
        card = s.scorecard
        writer.writerow(
            safe_cell(v)
            for v in [
                card.session_id,
                card.session.candidate.username,
                card.scorer.username,
                card.recommendation,
                s.position,
                s.session_question.question_id,
                s.session_question.title,
                s.score,
                len(s.key_points_hit),
            ]
        )
    return out.getvalue()
