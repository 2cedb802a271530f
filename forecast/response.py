"""Campaign response kernels: what one airing adds to each interval.

An airing at time ``s`` with effective weight ``w`` (saturated GRP) adds

* a **fast** response ``v w lam exp(-lam (u - s))`` calls per unit time for
  ``u >= s`` (direct response: the peak is in the first minute, half of it gone
  after ``fast_half_life``), and
* a **slow** carry-over stock ``w exp(-kappa (u - s))`` (adstock, half-life in
  days) that lifts the baseline by ``beta`` per unit of stock.

Both are exponential, so they are integrated exactly over each interval by one
first-order recursion: a result that does not depend on the interval length
(daily sums of a 1-minute computation equal a daily computation), and costs
O(intervals + spots) whatever the half-life.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

LN2 = float(np.log(2.0))


def saturate(grp: np.ndarray, saturation_grp: float) -> np.ndarray:
    """Effective GRP of an airing, ``g / (1 + g / K)``: linear for small g, at most ``K``.

    ``saturation_grp = inf`` means no saturation (the response is linear in GRP).

    Examples
    --------
    >>> saturate(np.array([1.0, 10.0, 100.0]), 10.0).round(3).tolist()
    [0.909, 5.0, 9.091]
    >>> saturate(np.array([3.0]), np.inf).tolist()
    [3.0]
    """
    g = np.asarray(grp, float)
    if np.isinf(saturation_grp):
        return g
    return g / (1.0 + g / saturation_grp)


def kernel_mass(start_s: float, interval_s: float, n_intervals: int, spot_s: np.ndarray,
                weight: np.ndarray, half_life_s: float) -> np.ndarray:
    """Mass of unit exponential kernels falling in each interval of a regular grid.

    Parameters
    ----------
    start_s : float
        Start of the first interval, seconds on any common clock (e.g. Unix time).
    interval_s : float
        Interval length, seconds.
    n_intervals : int
        Number of intervals.
    spot_s : ndarray, shape (S,)
        Airing times, seconds on the same clock; airings before the grid still
        contribute their tails, airings after it nothing.
    weight : ndarray, shape (S,) or (C, S)
        Weight of each airing, one row per channel (or component).
    half_life_s : float
        Half-life of the kernel ``lam exp(-lam t)``, seconds (> 0).

    Returns
    -------
    ndarray, shape (n_intervals,) or (C, n_intervals)
        ``sum_s w_s * integral over the interval of lam exp(-lam (u - s)) du``.

    Examples
    --------
    One airing of weight 1 at the start of a 1-minute grid with a 1-minute half-life:
    half its calls come in the first minute, a quarter in the second.

    >>> kernel_mass(0, 60, 3, np.array([0.0]), np.array([1.0]), 60).round(4).tolist()
    [0.5, 0.25, 0.125]
    """
    spot_s = np.asarray(spot_s, float)
    w = np.asarray(weight, float)
    flat = w.ndim == 1
    w2 = w[None, :] if flat else w
    lam = LN2 / half_life_s
    stay = np.exp(-lam * interval_s)  # share of the remaining mass that outlives an interval
    out = np.zeros((w2.shape[0], n_intervals))
    if n_intervals == 0 or spot_s.size == 0:
        return out[0] if flat else out
    end_s = start_s + n_intervals * interval_s
    before = spot_s < start_s
    inside = (~before) & (spot_s < end_s)
    # Tails of earlier airings: the mass not yet arrived at the grid start.
    remaining0 = (w2[:, before] * np.exp(-lam * (start_s - spot_s[before]))).sum(axis=1)
    j = np.floor((spot_s[inside] - start_s) / interval_s).astype(np.int64)
    j = np.minimum(j, n_intervals - 1)  # guard float rounding at the last edge
    left = np.exp(-lam * (start_s + (j + 1) * interval_s - spot_s[inside]))
    carry = np.zeros_like(out)
    within = np.zeros_like(out)
    for c in range(w2.shape[0]):
        carry[c] = np.bincount(j, weights=w2[c, inside] * left, minlength=n_intervals)
        within[c] = np.bincount(j, weights=w2[c, inside] * (1.0 - left), minlength=n_intervals)
    # remaining[k+1] = stay * remaining[k] + carry[k]
    after, _ = signal.lfilter([1.0], [1.0, -stay], carry, axis=-1,
                              zi=(stay * remaining0)[:, None])
    remaining = np.concatenate([remaining0[:, None], after[:, :-1]], axis=1)
    out = within + remaining * (1.0 - stay)
    return out[0] if flat else out


def delayed_mass(start_s: float, interval_s: float, n_intervals: int, spot_s: np.ndarray,
                 weight: np.ndarray, half_life_s: float, rise_half_life_s: float = 0.0) -> np.ndarray:
    """Like `kernel_mass`, for a response that builds up before it decays.

    The kernel is the difference of exponentials
    ``lam mu / (mu - lam) (exp(-lam t) - exp(-mu t))`` with ``lam = ln 2 / half_life_s`` and
    ``mu = ln 2 / rise_half_life_s``: zero at the airing, largest at
    ``ln(mu / lam) / (mu - lam)``, then halving every ``half_life_s``; its mass is 1. It is
    the response of viewers who first need a moment to reach the phone. ``rise_half_life_s
    = 0`` is the plain exponential (largest while the spot is on air).

    Examples
    --------
    With a 1-minute decay and a 1-minute rise the first minute gets less than the second:

    >>> m = delayed_mass(0, 60, 30, np.array([0.0]), np.array([1.0]), 60, 30)
    >>> bool(m[0] < m[1]), round(float(m.sum()), 6)
    (True, 1.0)
    """
    lam_mass = kernel_mass(start_s, interval_s, n_intervals, spot_s, weight, half_life_s)
    if rise_half_life_s <= 0:
        return lam_mass
    if abs(rise_half_life_s - half_life_s) < 1e-9 * half_life_s:  # equal rates: nudge
        rise_half_life_s = half_life_s * (1 - 1e-6)
    lam, mu = LN2 / half_life_s, LN2 / rise_half_life_s
    mu_mass = kernel_mass(start_s, interval_s, n_intervals, spot_s, weight, rise_half_life_s)
    return (mu * lam_mass - lam * mu_mass) / (mu - lam)


def peak_delay_s(half_life_s: float, rise_half_life_s: float) -> float:
    """Seconds from the airing to the peak of the `delayed_mass` kernel (0 without a rise).

    Examples
    --------
    >>> round(peak_delay_s(60.0, 30.0), 1)
    60.0
    """
    if rise_half_life_s <= 0:
        return 0.0
    lam, mu = LN2 / half_life_s, LN2 / rise_half_life_s
    if abs(mu - lam) < 1e-12:
        return 1.0 / lam
    return float(np.log(mu / lam) / (mu - lam))


def mean_stock(start_s: float, interval_s: float, n_intervals: int, spot_s: np.ndarray,
               weight: np.ndarray, half_life_s: float) -> np.ndarray:
    """Average over each interval of the adstock ``sum_s w_s exp(-kappa (u - s))``.

    The stock jumps by ``w`` at an airing and halves every ``half_life_s``.

    Examples
    --------
    A stock of 1 set one day before a daily grid, with a one-day half-life,
    averages ``(1/2 - 1/4) / ln 2`` over the next day.

    >>> day = 86400.0
    >>> float(mean_stock(day, day, 1, np.array([0.0]), np.array([1.0]), day)[0]).__round__(4)
    0.3607
    """
    kappa = LN2 / half_life_s
    mass = kernel_mass(start_s, interval_s, n_intervals, spot_s, weight, half_life_s)
    return mass / (kappa * interval_s)
