"""Yearly seasonality of daily totals: Fourier terms of the calendar day.

The yearly factor is ``exp(sum_k a_k sin(2 pi k t / P) + b_k cos(2 pi k t / P))``
with ``t`` the day number and ``P`` the mean Gregorian year, so leap years need no
special case and the factor averages to one (in logs) over a year. The terms are
estimated by a Poisson GLM of the daily totals on day-type dummies, a trend that
bends once a year (so that growth is not read as season) and the Fourier terms;
the number of harmonics is chosen by a quasi-likelihood BIC (the Pearson
dispersion of the largest model scales the deviance), which is conservative
when the residuals are correlated. Whether the terms are kept at all is decided
out of sample by `forecast.daily`.
"""

from __future__ import annotations

import numpy as np

PERIOD_DAYS = 365.2425
MIN_FIT_DAYS = 365  # a yearly shape needs a whole year of history
MAX_HARMONICS = 12  # features down to about a month wide (Prophet's default is 10)


def fourier(day: np.ndarray, harmonics: int) -> np.ndarray:
    """Columns ``sin, cos`` of harmonics ``1..harmonics`` of the year, at day numbers ``day``.

    Examples
    --------
    >>> (fourier(np.array([0.0, PERIOD_DAYS / 4]), 1).round(6) + 0.0).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    t = 2.0 * np.pi * np.asarray(day, float)[:, None] / PERIOD_DAYS
    k = np.arange(1, harmonics + 1)[None, :]
    out = np.empty((t.shape[0], 2 * harmonics))
    out[:, 0::2] = np.sin(k * t)
    out[:, 1::2] = np.cos(k * t)
    return out


def log_factor(day: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Log yearly factor at day numbers ``day`` (zeros when there are no terms)."""
    coef = np.asarray(coef, float)
    if coef.size == 0:
        return np.zeros(np.shape(day))
    return fourier(day, coef.size // 2) @ coef


def poisson_glm(y: np.ndarray, x: np.ndarray, max_iter: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Poisson log-linear regression by iteratively reweighted least squares.

    Returns the coefficients and the fitted means.

    Examples
    --------
    >>> x = np.column_stack([np.ones(4), [0, 0, 1, 1]])
    >>> coef, mu = poisson_glm(np.array([10.0, 10.0, 20.0, 20.0]), x)
    >>> np.exp(coef).round(6).tolist()
    [10.0, 2.0]
    """
    eta = np.log(np.maximum(y, 0.5))
    coef = np.linalg.lstsq(x, eta, rcond=None)[0]
    for _ in range(max_iter):
        mu = np.exp(np.clip(x @ coef, -50, 50))
        work = x @ coef + (y - mu) / mu
        sw = np.sqrt(mu)
        new = _weighted_ls(x * sw[:, None], work * sw)
        done = np.max(np.abs(new - coef)) < 1e-9
        coef = new
        if done:
            break
    return coef, np.exp(np.clip(x @ coef, -50, 50))


def _weighted_ls(xw: np.ndarray, zw: np.ndarray) -> np.ndarray:
    """Least squares by the normal equations: an SVD per IRLS step was the fit's bottleneck."""
    gram = xw.T @ xw
    gram[np.diag_indices_from(gram)] += 1e-10 * max(float(np.trace(gram)) / len(gram), 1e-300)
    try:
        return np.linalg.solve(gram, xw.T @ zw)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(xw, zw, rcond=None)[0]


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    ratio = np.where(y > 0, y / mu, 1.0)
    return float(2.0 * np.sum(y * np.log(ratio) - (y - mu)))


def _base_columns(day: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Day-type dummies and a trend with a bend every year back from the last day."""
    present = np.unique(types)
    cols = [(types[:, None] == present[None, :]).astype(float)]
    span = float(day[-1] - day[0]) or 1.0
    t = (day - day[0]) / span
    cols.append(t[:, None])
    for knot in np.arange(day[-1] - MIN_FIT_DAYS, day[0], -MIN_FIT_DAYS):
        cols.append(np.maximum(day - knot, 0.0)[:, None] / span)
    return np.hstack(cols)


def fit_yearly(day: np.ndarray, y: np.ndarray, types: np.ndarray,
               harmonics: int | None = None) -> tuple[np.ndarray, dict]:
    """Yearly Fourier coefficients of daily totals (empty with under a year of days).

    Parameters
    ----------
    day : ndarray of int
        Day numbers of the open days, increasing.
    y : ndarray
        Their totals.
    types : ndarray of int
        Their day types.
    harmonics : int, optional
        Fix the number of harmonics instead of choosing it by quasi-BIC.

    Returns
    -------
    coef : ndarray
        ``2 * harmonics`` coefficients (sin, cos per harmonic) for `log_factor`.
    info : dict
        ``harmonics`` and the quasi-BIC of each candidate.

    Examples
    --------
    >>> day = np.arange(800)
    >>> y = np.round(1000 * np.exp(0.3 * np.sin(2 * np.pi * day / PERIOD_DAYS)))
    >>> coef, info = fit_yearly(day, y, np.zeros(800, int))
    >>> info["harmonics"], (coef[:2].round(2) + 0.0).tolist()
    (1, [0.3, 0.0])
    """
    day = np.asarray(day, float)
    if day.size == 0 or day[-1] - day[0] + 1 < MIN_FIT_DAYS or harmonics == 0:
        return np.zeros(0), {"harmonics": 0}
    y = np.asarray(y, float)
    base = _base_columns(day, np.asarray(types))
    n = y.size
    top = harmonics if harmonics is not None else min(MAX_HARMONICS, max((n - base.shape[1]) // 40, 0))
    if top == 0:
        return np.zeros(0), {"harmonics": 0}
    wave = fourier(day, top)
    fits = {}
    for k in range(0 if harmonics is None else top, top + 1):
        x = np.hstack([base, wave[:, :2 * k]])
        coef, mu = poisson_glm(y, x)
        fits[k] = (coef, mu, x.shape[1])
    _, mu_top, p_top = fits[top]
    dispersion = max(np.sum((y - mu_top) ** 2 / mu_top) / max(n - p_top, 1), 1.0)
    qbic = {k: _deviance(y, mu) / dispersion + p * np.log(n) for k, (_, mu, p) in fits.items()}
    best = min(qbic, key=qbic.__getitem__)
    coef = fits[best][0][base.shape[1]:]
    return coef, {"harmonics": int(best), "qbic": {int(k): float(v) for k, v in qbic.items()}}


def describe(info: dict | None) -> str:
    """One line for a planner on the yearly seasonality: used or not, and the evidence.

    ``info`` is the baseline's ``info["yearly"]`` (`forecast.daily.fit_daily`).

    Examples
    --------
    >>> print(describe({"harmonics": 2, "kept": True, "check": "9 origins, 91 days ahead",
    ...                 "wape_with_yearly": 0.087, "wape_without_yearly": 0.249}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Yearly seasonality: used (2 harmonics); out of sample, 9 origins, 91 days ahead:
    WAPE 0.087 with it, 0.249 without
    >>> describe({"harmonics": 0, "kept": False})
    'Yearly seasonality: none (under a year of history, or no yearly shape in it)'
    >>> print(describe({"harmonics": 1, "kept": False, "check": "4 origins, 60 days ahead",
    ...                 "wape_with_yearly": 0.11, "wape_without_yearly": 0.10}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Yearly seasonality: not used: it did not forecast better out of sample
    (4 origins, 60 days ahead: WAPE 0.110 with it, 0.100 without)
    """
    head = "Yearly seasonality: "
    if not info or not info.get("harmonics"):
        return head + "none (under a year of history, or no yearly shape in it)"
    if "wape_with_yearly" in info:
        evidence = (f"{info['check']}: WAPE {info['wape_with_yearly']:.3f} with it, "
                    f"{info['wape_without_yearly']:.3f} without")
    else:
        evidence = info.get("check", "not checked out of sample")
    n = info["harmonics"]
    if info.get("kept"):
        return head + f"used ({n} harmonic{'s' * (n != 1)}); out of sample, {evidence}"
    return head + f"not used: it did not forecast better out of sample ({evidence})"
