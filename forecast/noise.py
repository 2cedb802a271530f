"""Count noise: quantiles of over-dispersed (negative binomial) call counts.

Quantiles are *mid-quantiles* (Parzen 2004; Ma, Genton and Parzen 2011): the inverse of
the mid-distribution function ``F(k) - P(k)/2``, interpolated linearly between the
counts. The plain quantile of a count is a whole number, and a band between two whole
numbers holds both ends: at a few calls per interval the 80 % band of a Poisson line then
covers 90 % or more of the intervals. The mid-quantile band covers close to 80 % from a
few calls per interval up (83 % at 1-3 calls, against 91 %), and is the plain quantile's
continuous counterpart at large counts. Under one call per interval any band must hold
the zeros, and covers more.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def nb_quantile(q: float, mean: np.ndarray, var: np.ndarray) -> np.ndarray:
    """Mid-quantile of the negative binomial with the given mean and variance (Poisson if var <= mean).

    Examples
    --------
    >>> nb_quantile(0.5, np.array([0.0, 10.0, 1000.0]), np.array([0.0, 10.0, 1000.0])).round(2)
    array([  0.  ,   9.84, 999.83])

    Over Poisson lines of 1 to 3 calls per interval, the 80 % band covers 83 % of the
    counts, ends included; whole-number quantiles would cover 91 %:

    >>> m = np.linspace(1, 3, 201)
    >>> def covered(lo, hi):
    ...     inside = stats.poisson.cdf(np.floor(hi), m) - stats.poisson.cdf(np.ceil(lo) - 1, m)
    ...     return round(float(inside.mean()), 2)
    >>> covered(nb_quantile(0.1, m, m), nb_quantile(0.9, m, m))
    0.83
    >>> covered(stats.poisson.ppf(0.1, m), stats.poisson.ppf(0.9, m))
    0.91
    """
    mean = np.asarray(mean, float)
    var = np.maximum(np.asarray(var, float), mean)
    out = np.zeros_like(mean)
    pos = mean > 0
    over = pos & (var > mean * (1 + 1e-9))
    pois = pos & ~over
    if pois.any():
        m = mean[pois]
        dist = stats.poisson(m)
        # pmf(k + 1) / pmf(k) of a Poisson
        out[pois] = _mid_quantile(q, dist, lambda k: m / (k + 1))
    if over.any():
        m, v = mean[over], var[over]
        r, p = m * m / (v - m), m / v
        out[over] = _mid_quantile(q, stats.nbinom(r, p), lambda k: (k + r) / (k + 1) * (1 - p))
    return out


def _mid_quantile(q: float, dist, step) -> np.ndarray:
    """Where the mid-distribution ``F(k) - P(k)/2``, linear between counts, reaches ``q``.

    ``step(k)`` is ``P(k + 1) / P(k)``: one distribution function and one probability
    are evaluated and the neighbours' probabilities follow from the ratio, which keeps a
    re-forecast of three weeks close to the time plain quantiles take.
    """
    k = dist.ppf(q)  # the smallest count whose distribution function reaches q
    below_k = dist.cdf(k - 1)
    p_k = dist.pmf(k)
    p_prev = np.where(k > 0, p_k / np.where(k > 0, step(np.maximum(k - 1, 0)), 1.0), 0.0)
    p_next = p_k * step(k)
    at_k = below_k + p_k / 2
    lower = q <= at_k
    # The segment [k - 1, k] when q is under k's mid-point, else [k, k + 1].
    f_left = np.where(lower, below_k - p_prev / 2, at_k)
    f_right = np.where(lower, at_k, below_k + p_k + p_next / 2)
    x = np.where(lower, k - 1, k) + (q - f_left) / (f_right - f_left)
    # Under half the mass at zero there is no lower count to share it with.
    return np.maximum(x, 0.0)
