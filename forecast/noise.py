"""Count noise: quantiles of over-dispersed (negative binomial) call counts."""

from __future__ import annotations

import numpy as np
from scipy import stats


def nb_quantile(q: float, mean: np.ndarray, var: np.ndarray) -> np.ndarray:
    """Quantile of the negative binomial with the given mean and variance (Poisson if var <= mean).

    Examples
    --------
    >>> nb_quantile(0.5, np.array([0.0, 10.0]), np.array([0.0, 10.0])).tolist()
    [0.0, 10.0]
    """
    mean = np.asarray(mean, float)
    var = np.maximum(np.asarray(var, float), mean)
    out = np.zeros_like(mean)
    pos = mean > 0
    over = pos & (var > mean * (1 + 1e-9))
    pois = pos & ~over
    if pois.any():
        out[pois] = stats.poisson.ppf(q, mean[pois])
    if over.any():
        m, v = mean[over], var[over]
        out[over] = stats.nbinom.ppf(q, m * m / (v - m), m / v)
    return out
