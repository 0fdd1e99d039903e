"""The FSRS adapter: our card fields <-> fsrs.Card, and one review. Pure: no ORM, no clock."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import fsrs

RATINGS = {
    "again": fsrs.Rating.Again,
    "hard": fsrs.Rating.Hard,
    "good": fsrs.Rating.Good,
    "easy": fsrs.Rating.Easy,
}
LEECH_LAPSES = 8


@dataclass(frozen=True)
class CardState:
    """What we store of an FSRS card, plus our own lapse count."""

    state: int = fsrs.State.Learning.value
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


def _utc(moment: datetime | None) -> datetime | None:
    """fsrs wants UTC-aware datetimes; databases may hand back other zones."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass aware datetimes")
    return moment.astimezone(UTC)


def to_fsrs(card: CardState) -> fsrs.Card:
    return fsrs.Card(
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review),
    )


def review(
    card: CardState,
    rating: str,
    *,
    now: datetime,
    scheduler: fsrs.Scheduler,
    duration_seconds: int | None = None,
) -> CardState:
    """The card after `rating` at `now`. A lapse is `again` on a card in review."""
    if card.due is None:
        card = replace(card, due=now)
    updated, _log = scheduler.review_card(
        to_fsrs(card),
        RATINGS[rating],
        review_datetime=_utc(now),
        review_duration=duration_seconds * 1000 if duration_seconds is not None else None,
    )
    lapsed = rating == "again" and card.state == fsrs.State.Review.value
    return CardState(
        state=updated.state.value,
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        due=updated.due,
        last_review=updated.last_review,
        reps=card.reps + 1,
        lapses=card.lapses + (1 if lapsed else 0),
    )
