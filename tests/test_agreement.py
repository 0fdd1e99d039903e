"""Krippendorff's alpha against published worked examples."""

import pytest

from hiring.agreement import krippendorff_alpha

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", reliability data with
# missing values: 4 observers x 12 units (columns are units).
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
UNITS = [list(unit) for unit in zip(*OBSERVERS, strict=True)]


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_krippendorff_2011_example(level, published):
    assert krippendorff_alpha(UNITS, level=level) == pytest.approx(published, abs=0.0005)


# Krippendorff (2011), section A: binary data, two observers, no missing data (10 units).
BINARY = list(zip([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0], strict=True))
# Section B: nominal data, two observers, no missing data (12 units, values a-e).
NOMINAL = list(zip("aabbdcccedda", "babbbccceddd", strict=True))


def test_krippendorff_2011_binary_two_observers():
    assert krippendorff_alpha([list(unit) for unit in BINARY], level="nominal") == pytest.approx(0.095, abs=0.0005)


def test_krippendorff_2011_nominal_two_observers():
    assert krippendorff_alpha([list(unit) for unit in NOMINAL], level="nominal") == pytest.approx(0.692, abs=0.0005)


def test_no_pairable_values_is_none():
    assert krippendorff_alpha([[1], [2, None]]) is None


def test_agreement_is_null_below_two_sessions_rated_by_two_scorers():
    from hiring.agreement import _alpha_or_none

    assert _alpha_or_none({1: {"a": 1, "b": 2}, 2: {"a": 3}}) is None
    assert _alpha_or_none({1: {"a": 1, "b": 1}, 2: {"a": 4, "b": 4}}) == 1.0


def test_drift_counts_above_and_below_the_others():
    from hiring.agreement import _drift

    drift = _drift({1: {"a": 4, "b": 2}, 2: {"a": 3, "b": 3}})
    assert drift["a"] == {"compared": 2, "above": 1, "below": 0, "total": 2.0}
    assert drift["b"]["below"] == 1
