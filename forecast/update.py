"""Within-day re-forecasting: the calls of today so far update the rest of today.

Weinberg, Brown and Stroud (2007) update a day's forecast from its first hours: the
day's level is uncertain before it starts, and its morning measures it. Here, on a
day with observed calls, interval ``i`` has expected calls
``lam_b * b_i + lam_c * c_i``, where ``b_i`` is the baseline part (baseline and
carry-over, which move with the day's level) and ``c_i`` the fast response to the
day's airings. Both multipliers have gamma priors with mean 1:

* ``lam_b``: variance ``v_b``, the model's error of the day's level (what the plain
  forecast's bands already carry);
* ``lam_c``: variance ``v_c``, the strengths' relative error (Fisher covariance) plus
  ``CAMPAIGN_DAY_REL_SD ** 2``: one day's airings (programme, audience, creative)
  answer more or less well than the average the fit measured.

The counts are over-dispersed: each interval's Poisson likelihood is tempered by its
variance-to-mean ratio ``phi_i`` (quasi-likelihood). The level also drifts within a
day, so the baseline evidence of an interval that ended ``age`` minutes before the
last observation counts ``0.5 ** (age / half_life_min)`` (a power prior, the discount
of the Poisson-gamma steady model: Smith 1979, Harvey and Fernandes 1989); the prior
is not discounted, as the plain forecast of the day's level does not age within it.
The campaign evidence is not discounted: the day's airings share one strength.

With only ``lam_b`` the posterior is gamma in closed form. With both, the calls of each
interval are split between the parts in proportion to their current expected values
and the two conjugate updates repeated to their fixed point (EM); the posterior
variance of each multiplier is that of its gamma. ``lam_c`` is updated only on days
where the campaign is a noticeable share (``MIN_CAMPAIGN_SHARE``) of the observed
expected calls: below that the data cannot tell it from the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tabular.days import local_dates

from . import schema as S
from .grid import localize_wall_clock

EVIDENCE_HALF_LIFE_MIN = 30.0
CAMPAIGN_DAY_REL_SD = 0.3
MIN_CAMPAIGN_SHARE = 0.05


@dataclass(frozen=True)
class DayUpdate:
    """Posterior of a day's multipliers (prior mean 1) given its calls so far.

    Attributes
    ----------
    base, campaign : float
        Posterior means of the baseline and campaign multipliers.
    base_var, campaign_var : float
        Their posterior variances (the campaign's equals its prior when not updated).
    campaign_updated : bool
        Whether the campaign share was large enough to update ``campaign``.
    """

    base: float
    campaign: float
    base_var: float
    campaign_var: float
    campaign_updated: bool


def update_day(calls: np.ndarray, base: np.ndarray, campaign: np.ndarray, noise_var: np.ndarray,
               age_min: np.ndarray, *, base_prior_var: float, campaign_prior_var: float,
               half_life_min: float = EVIDENCE_HALF_LIFE_MIN,
               min_campaign_share: float = MIN_CAMPAIGN_SHARE) -> DayUpdate:
    """Update a day's baseline and campaign multipliers from its observed intervals.

    Parameters
    ----------
    calls : ndarray
        Observed calls per interval (NaN: not observed, ignored).
    base, campaign : ndarray
        Expected baseline and campaign calls of the same intervals (plain forecast).
    noise_var : ndarray
        Count variance of each interval given the multipliers (Poisson and over-dispersion).
    age_min : ndarray
        Minutes from each interval's end to the end of the last observed interval.
    base_prior_var, campaign_prior_var : float
        Prior variances of the multipliers (0 keeps a multiplier at 1).
    half_life_min : float
        Half-life of the baseline evidence (the level's drift within the day).
    min_campaign_share : float
        Smallest campaign share of the observed expected calls that updates ``campaign``.

    Returns
    -------
    DayUpdate

    Examples
    --------
    A morning 10 % busier than forecast, no campaign: the level moves most of the way.

    >>> mu = np.full(12, 600.0)  # half-hours from 07:00 to 13:00
    >>> u = update_day(1.1 * mu, mu, 0 * mu, 1.5 * mu, 30.0 * np.arange(11, -1, -1),
    ...                base_prior_var=0.06 ** 2, campaign_prior_var=0.0)
    >>> round(u.base, 3), round(u.base_var ** 0.5, 3), u.campaign_updated
    (1.074, 0.032, False)
    """
    y = np.asarray(calls, float)
    b, c = np.asarray(base, float), np.asarray(campaign, float)
    mu = b + c
    ok = np.isfinite(y) & (mu > 0)
    y, b, c, mu = y[ok], b[ok], c[ok], mu[ok]
    phi = np.maximum(np.asarray(noise_var, float)[ok] / mu, 1.0)
    w = 0.5 ** (np.maximum(np.asarray(age_min, float)[ok], 0.0) / half_life_min)
    a_b = 1.0 / base_prior_var if base_prior_var > 0 else np.inf
    a_c = 1.0 / campaign_prior_var if campaign_prior_var > 0 else np.inf
    use_c = bool(mu.sum() > 0 and c.sum() >= min_campaign_share * mu.sum() and np.isfinite(a_c))
    lam_b, lam_c = 1.0, 1.0
    for _ in range(200):
        share_b = lam_b * b / np.maximum(lam_b * b + lam_c * c, 1e-300)
        new_b = _gamma_mean(a_b, np.sum(w * y * share_b / phi), np.sum(w * b / phi))
        new_c = _gamma_mean(a_c, np.sum(y * (1 - share_b) / phi), np.sum(c / phi)) \
            if use_c else 1.0
        done = abs(new_b - lam_b) < 1e-10 and abs(new_c - lam_c) < 1e-10
        lam_b, lam_c = new_b, new_c
        if done:
            break
    var_b = lam_b / (a_b + np.sum(w * b / phi)) if np.isfinite(a_b) else 0.0
    var_c = lam_c / (a_c + np.sum(c / phi)) if use_c else max(campaign_prior_var, 0.0)
    return DayUpdate(base=float(lam_b), campaign=float(lam_c), base_var=float(var_b),
                     campaign_var=float(var_c), campaign_updated=use_c)


def _gamma_mean(prior: float, calls: float, expected: float) -> float:
    """Posterior mean of a Gamma(prior, prior) multiplier after ``calls`` where ``expected``."""
    if not np.isfinite(prior):
        return 1.0
    return float((prior + calls) / (prior + expected))


def actuals_by_day(actuals: pd.DataFrame, tz: str,
                   step: pd.Timedelta | None = None) -> tuple[pd.Timedelta, list[pd.Series]]:
    """Check the calls observed so far and split them by local day, each on a regular grid.

    Parameters
    ----------
    actuals : DataFrame
        The history contract: ``calls`` on a DatetimeIndex of interval starts (naive
        times are read in ``tz``); rows with no calls are ignored.
    tz : str
        The model's zone.
    step : Timedelta, optional
        Interval length when ``actuals`` has a single row.

    Returns
    -------
    Timedelta
        The interval length.
    list of Series
        Per day, calls on a regular grid from its first to its last observed interval
        (NaN where a row is missing).

    Raises
    ------
    ValueError
        Naming the field and the value.

    Examples
    --------
    >>> idx = pd.date_range("2024-03-04 08:00", periods=4, freq="15min")
    >>> width, days = actuals_by_day(pd.DataFrame({"calls": [5, 7, None, 9]}, index=idx),
    ...                              "Europe/Rome")
    >>> str(width), len(days), days[0].tolist()
    ('0 days 00:15:00', 1, [5.0, 7.0, nan, 9.0])
    """
    if not isinstance(actuals, pd.DataFrame) or S.CALLS not in actuals.columns:
        raise ValueError("actuals must be a DataFrame with a 'calls' column on a DatetimeIndex "
                         f"of interval starts, got {type(actuals).__name__}")
    idx = actuals.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise ValueError(f"actuals index must be a DatetimeIndex of interval starts, got "
                         f"{type(idx).__name__}")
    idx = localize_wall_clock(idx, tz) if idx.tz is None else idx.tz_convert(tz)
    calls = pd.to_numeric(actuals[S.CALLS], errors="coerce").to_numpy(dtype=float)
    bad = (calls < 0) | np.isinf(calls) | (np.isnan(calls) & actuals[S.CALLS].notna().to_numpy())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        got = f"{calls[i]:g}" if np.isfinite(calls[i]) or np.isinf(calls[i]) else \
            repr(actuals[S.CALLS].iloc[i])
        raise ValueError(f"actuals calls must be numbers >= 0, got {got} at {idx[i]}")
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise ValueError("actuals index must be sorted, without repeated interval starts")
    series = pd.Series(calls, index=idx).dropna()
    if series.empty:
        return step or pd.Timedelta(0), []
    times = pd.DatetimeIndex(series.index)
    steps = np.diff(times.as_unit("ns").asi8)
    width = pd.Timedelta(int(steps.min()), unit="ns") if steps.size else step
    if width is None or width <= pd.Timedelta(0):
        raise ValueError("actuals: one interval alone does not say its length; give two or more")
    out = []
    for _, day in series.groupby(local_dates(times)):
        grid = pd.date_range(day.index[0], day.index[-1], freq=width)
        if not day.index.isin(grid).all():
            raise ValueError(f"actuals on {day.index[0]:%Y-%m-%d} are not on one regular grid of "
                             f"{width}")
        out.append(day.reindex(grid))
    return width, out
