"""Newcombe's hybrid score interval against the worked examples of Newcombe
(1998), "Interval estimation for the difference between independent
proportions: comparison of eleven methods", Statistics in Medicine 17,
873–890, Table II, method 10; and Wilson's interval against the same
paper's companion (Newcombe 1998, Statistics in Medicine 17, 857–872)."""

import pytest

from app.evaluation.stats import newcombe, wilson

# (m, n, x, y) of proportions m/n and x/y, then method 10's 95 % limits.
TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "limits"), TABLE_II)
def test_newcombe_method_10_matches_the_published_table(counts, limits):
    m, n, x, y = counts
    difference, lower, upper = newcombe(m / n, n, x / y, y)
    assert difference == pytest.approx(m / n - x / y)
    assert (round(lower, 4), round(upper, 4)) == limits


@pytest.mark.parametrize(
    ("x", "n", "limits"),
    [(81, 263, (0.2553, 0.3662)), (15, 148, (0.0624, 0.1605)), (0, 20, (0.0, 0.1611))],
)
def test_wilson_matches_the_published_examples(x, n, limits):
    lower, upper = wilson(x / n, n)
    assert (round(lower, 4), round(upper, 4)) == limits


def test_an_empty_sample_has_no_interval():
    with pytest.raises(ValueError):
        wilson(0.5, 0)
