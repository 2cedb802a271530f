"""Mid-quantiles of call counts: ordered, within a count of the plain quantile, calibrated."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from forecast.noise import nb_quantile

LEVELS = (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99)


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-6, 5000.0), st.floats(0.0, 2.0))
def test_ordered_and_within_a_count_of_the_plain_quantile(mean, alpha):
    m, v = np.array([mean]), np.array([mean + alpha * mean ** 2])
    q = np.array([nb_quantile(level, m, v)[0] for level in LEVELS])
    assert np.all(np.diff(q) >= -1e-9) and q[0] >= 0
    if alpha * mean > 1e-9:
        r, p = 1 / alpha, 1 / (1 + alpha * mean)
        plain = stats.nbinom.ppf(LEVELS, r, p)
    else:
        plain = stats.poisson.ppf(LEVELS, mean)
    assert np.all(np.abs(q - plain) <= 1 + 1e-9)


def test_the_80_band_covers_80_percent_of_over_dispersed_counts():
    # Exact coverage, averaged over lines of 2 to 40 calls per interval.
    m = np.linspace(2, 40, 400)
    v = m + 0.05 * m ** 2
    r, p = m * m / (v - m), m / v
    lo, hi = nb_quantile(0.1, m, v), nb_quantile(0.9, m, v)
    inside = stats.nbinom.cdf(np.floor(hi), r, p) - stats.nbinom.cdf(np.ceil(lo) - 1, r, p)
    assert abs(inside.mean() - 0.8) < 0.01
    whole = stats.nbinom.cdf(stats.nbinom.ppf(0.9, r, p), r, p) \
        - stats.nbinom.cdf(stats.nbinom.ppf(0.1, r, p) - 1, r, p)
    assert whole.mean() > 0.83  # what the whole-number band covered
