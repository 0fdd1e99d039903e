"""The draw engine (questions.sampling): pure, seeded, uniform, quota-exact."""

import random
from collections import Counter
from itertools import combinations

import pytest

from questions.sampling import PoolTooSmall, Quota, draw_session


def quota(*pools, count, name="'test pool'"):
    return Quota(name=name, pools=[sorted(p) for p in pools], count=count)


def test_same_seed_same_draw_and_different_seeds_differ():
    q = [quota(range(1, 101), count=10)]
    first = draw_session(q, rng=random.Random(7)).question_ids
    assert first == draw_session(q, rng=random.Random(7)).question_ids
    assert first != draw_session(q, rng=random.Random(8)).question_ids


def test_quotas_are_honoured_without_duplicates():
    databases, caching = range(1, 51), range(100, 131)
    drawn = draw_session(
        [quota(databases, count=4), quota(caching, count=3), quota(databases, caching, count=5)],
        rng=random.Random(1),
    ).question_ids
    assert len(drawn) == 12 == len(set(drawn))
    assert sum(1 for qid in drawn if qid in databases) >= 4
    assert sum(1 for qid in drawn if qid in caching) >= 3


def test_order_is_shuffled_across_quotas():
    orders = {
        tuple(
            qid < 100
            for qid in draw_session(
                [quota(range(1, 51), count=3), quota(range(100, 151), count=3)], rng=random.Random(seed)
            ).question_ids
        )
        for seed in range(30)
    }
    assert len(orders) > 1  # not always databases first


def test_draw_is_uniform_over_subsets_chi_square():
    pool = list(range(1, 7))  # C(6, 2) = 15 possible pairs
    draws = 15_000
    rng = random.Random(2024)
    counts = Counter(frozenset(draw_session([quota(pool, count=2)], rng=rng).question_ids) for _ in range(draws))
    assert set(counts) == {frozenset(pair) for pair in combinations(pool, 2)}
    expected = draws / 15
    chi_square = sum((observed - expected) ** 2 / expected for observed in counts.values())
    # 14 degrees of freedom: the 99.9th percentile of chi-square is 36.1.
    assert chi_square < 36.1, chi_square


def test_uniform_among_unseen_questions():
    pool = list(range(1, 11))
    seen = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}  # 7..10 unseen
    rng = random.Random(5)
    counts = Counter(
        qid for _ in range(8000) for qid in draw_session([quota(pool, count=1)], rng=rng, seen=seen).question_ids
    )
    assert set(counts) == {7, 8, 9, 10}
    expected = 2000
    assert sum((c - expected) ** 2 / expected for c in counts.values()) < 16.3  # 3 dof, 99.9th pct


def test_exclude_seen_draws_unseen_first_then_reuses_least_recently_asked():
    pool = range(1, 11)
    seen = {qid: f"2026-01-{qid:02d}" for qid in range(1, 9)}  # 9, 10 unseen; 1 asked longest ago
    draw = draw_session([quota(pool, count=5)], rng=random.Random(3), seen=seen)
    assert set(draw.question_ids) == {9, 10, 1, 2, 3}
    assert draw.reused == 3


def test_without_exclude_seen_seen_questions_are_drawn_like_any_other():
    pool = range(1, 5)
    seen = {1: 1, 2: 1, 3: 1}
    found = set()
    for seed in range(50):
        draw = draw_session([quota(pool, count=1)], rng=random.Random(seed), seen=seen, exclude_seen=False)
        found |= set(draw.question_ids)
        assert draw.reused == 0
    assert found == {1, 2, 3, 4}


def test_due_review_questions_fill_slots_first():
    draw = draw_session([quota(range(1, 101), count=3)], rng=random.Random(0), due=[42, 999, 7])
    assert {42, 7} <= set(draw.question_ids)  # 999 is outside the pool
    assert draw.due == 2


def test_pool_too_small_names_the_pool_what_it_holds_and_what_was_asked():
    with pytest.raises(PoolTooSmall) as exc:
        draw_session([quota(range(1, 4), count=5, name="'databases, senior'")], rng=random.Random(0))
    assert str(exc.value) == "The pool 'databases, senior' holds 3 published questions; 5 asked."


def test_overlapping_quotas_count_what_earlier_quotas_took():
    with pytest.raises(PoolTooSmall, match=r"holds 4 .*\(3 already drawn by an earlier quota\); 2 asked"):
        draw_session([quota(range(1, 5), count=3), quota(range(1, 5), count=2, name="'again'")], rng=random.Random(0))


def test_mostly_seen_large_history_still_draws_the_few_unseen():
    pool = range(1, 1001)
    seen = {qid: qid for qid in range(1, 996)}  # 996..1000 unseen
    draw = draw_session([quota(pool, count=5)], rng=random.Random(9), seen=seen)
    assert sorted(draw.question_ids) == [996, 997, 998, 999, 1000]
    assert draw.reused == 0
