"""Forecast accuracy measures (point and probabilistic), on aligned arrays."""

from __future__ import annotations

import numpy as np


def _pair(actual, predicted):
    a = np.asarray(actual, float)
    p = np.asarray(predicted, float)
    if a.shape != p.shape:
        raise ValueError(f"actual and predicted differ in shape: {a.shape} vs {p.shape}")
    ok = np.isfinite(a) & np.isfinite(p)
    return a[ok], p[ok]


def mape(actual, predicted) -> float:
    """Mean absolute percentage error over intervals with calls (zero actuals are skipped).

    Examples
    --------
    >>> mape([100, 200, 0], [110, 180, 5])
    0.1
    """
    a, p = _pair(actual, predicted)
    keep = a > 0
    return float(np.mean(np.abs(p[keep] - a[keep]) / a[keep]))


def wape(actual, predicted) -> float:
    """Weighted absolute percentage error, ``sum |p - a| / sum a``.

    Examples
    --------
    >>> wape([100, 300], [110, 270])
    0.1
    """
    a, p = _pair(actual, predicted)
    return float(np.sum(np.abs(p - a)) / np.sum(a))


def smape(actual, predicted) -> float:
    """Symmetric MAPE, ``mean 2|p - a| / (|a| + |p|)`` (0 where both are 0)."""
    a, p = _pair(actual, predicted)
    den = np.abs(a) + np.abs(p)
    return float(np.mean(np.divide(2 * np.abs(p - a), den, out=np.zeros_like(den), where=den > 0)))


def bias(actual, predicted) -> float:
    """Relative bias, ``sum (p - a) / sum a`` (positive: over-forecast)."""
    a, p = _pair(actual, predicted)
    return float(np.sum(p - a) / np.sum(a))


def mase(actual, predicted, insample, season: int) -> float:
    """Mean absolute scaled error against the in-sample seasonal naive of lag ``season``.

    Examples
    --------
    >>> mase([10, 12], [11, 12], insample=[8, 10, 9, 11], season=2)
    0.5
    """
    a, p = _pair(actual, predicted)
    x = np.asarray(insample, float)
    scale = np.nanmean(np.abs(x[season:] - x[:-season]))
    return float(np.mean(np.abs(p - a)) / scale)


def pinball(actual, quantile_pred, q: float) -> float:
    """Mean pinball (quantile) loss of the ``q`` quantile forecast.

    Examples
    --------
    >>> pinball([10, 10], [8, 12], 0.9)
    1.0
    """
    a, p = _pair(actual, quantile_pred)
    d = a - p
    return float(np.mean(np.maximum(q * d, (q - 1) * d)))


def coverage(actual, lower, upper) -> float:
    """Share of actuals inside ``[lower, upper]``.

    Examples
    --------
    >>> coverage([1, 5, 9], [0, 0, 0], [6, 6, 6])
    0.6666666666666666
    """
    a = np.asarray(actual, float)
    lo = np.asarray(lower, float)
    hi = np.asarray(upper, float)
    ok = np.isfinite(a) & np.isfinite(lo) & np.isfinite(hi)
    return float(np.mean((a[ok] >= lo[ok]) & (a[ok] <= hi[ok])))
