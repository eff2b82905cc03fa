"""Proportions and their change, with 95 % intervals.

`wilson` is the Wilson score interval of one proportion; `newcombe` the
hybrid score interval of the difference of two independent proportions
(Newcombe 1998, method 10), built from the two Wilson intervals: it keeps
within [-1, 1], behaves with small counts and with 0 or 100 %, and is the
interval Newcombe's comparison of eleven methods recommends. The waves of a
class are independent samples: nothing ties a student's "after" answers to
their "before" ones (the questionnaire is anonymous), so no paired method
can apply.

Proportions and counts may be fractional: the results (results.py) give a
wave's share of correct answers with the number of students behind it.
"""

from math import sqrt
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)  # 1.95996…


def wilson(p, n, z=Z95):
    """(lower, upper) of the Wilson score interval of proportion `p` out of `n`."""
    if n <= 0:
        raise ValueError("a proportion needs at least one observation")
    centre = p + z * z / (2 * n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return max(0.0, (centre - half) / denominator), min(1.0, (centre + half) / denominator)


def newcombe(p1, n1, p2, n2, z=Z95):
    """(p1 − p2, lower, upper): the difference and its hybrid score interval."""
    l1, u1 = wilson(p1, n1, z)
    l2, u2 = wilson(p2, n2, z)
    difference = p1 - p2
    lower = difference - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = difference + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, lower, upper
