"""The FSRS adapter (reviews.spaced_repetition): pure mapping and one review."""

from datetime import UTC, datetime, timedelta, timezone

import fsrs
import pytest

from reviews.spaced_repetition import LEECH_LAPSES, CardState, review, to_fsrs

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)


def test_a_new_card_rated_good_stays_in_learning_for_the_next_step():
    card = review(CardState(), "good", now=NOW, scheduler=SCHEDULER, duration_seconds=30)
    assert card.state == fsrs.State.Learning.value
    assert card.due == NOW + timedelta(minutes=10)
    assert card.last_review == NOW and card.reps == 1 and card.lapses == 0


def test_good_answers_space_out_and_again_on_a_review_card_is_a_lapse():
    card, now = CardState(), NOW
    for _ in range(3):
        card = review(card, "good", now=now, scheduler=SCHEDULER)
        now = card.due
    assert card.state == fsrs.State.Review.value
    assert card.due - card.last_review > timedelta(days=5)
    lapsed = review(card, "again", now=now, scheduler=SCHEDULER)
    assert lapsed.state == fsrs.State.Relearning.value and lapsed.lapses == 1
    # "again" while still learning is not a lapse
    assert review(CardState(), "again", now=NOW, scheduler=SCHEDULER).lapses == 0


def test_a_card_is_a_leech_after_eight_lapses():
    assert not CardState(lapses=LEECH_LAPSES - 1).is_leech
    assert CardState(lapses=LEECH_LAPSES).is_leech


def test_datetimes_from_the_database_in_other_zones_become_utc():
    paris = timezone(timedelta(hours=1))
    card = to_fsrs(
        CardState(
            state=2,
            step=None,
            stability=3.0,
            difficulty=5.0,
            due=NOW.astimezone(paris),
            last_review=NOW.astimezone(paris),
        )
    )
    assert card.due.tzinfo == UTC and card.due == NOW
    result = review(CardState(due=NOW.astimezone(paris)), "easy", now=NOW.astimezone(paris), scheduler=SCHEDULER)
    assert result.due.tzinfo is not None


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        to_fsrs(CardState(due=datetime(2026, 1, 1)))  # noqa: DTZ001 - the point of the test
