"""Daily totals of the baseline: day-type factors x yearly factor x level.

* **Day-type factors** (Monday ... Sunday, public holiday): recency-weighted means
  of the daily totals after the yearly factor, so that old weeks fade.
* **Yearly factor** (`forecast.yearly`): tried with a year of history or more and
  kept only when it forecasts significantly better out of sample: rolling origins
  one quarter apart over the history after its first year, each forecasting the
  next 13 weeks (shorter windows when the history is short) from the data before
  it, with and without the yearly terms; a one-sided t-test (5 %) on the log ratios
  of the per-origin errors decides.
* **Level** (`forecast.level`): a local level plus a fading day-to-day deviation,
  on the totals divided by both factors, so the level forecast carries the yearly
  shape into the future.
* **Backlog and special dates** (`forecast.backlog`, `forecast.special_days`): a log
  factor per day for the first open day after a closure and for dates around fixed-date
  holidays, each kept when the history shows it; the model is refitted on the totals
  divided by them.

The model and its fit are in `forecast.daily_model`; the out-of-sample checks (the
yearly terms, the bands near and far) in `forecast.daily_checks`.
"""

from __future__ import annotations

import numpy as np

from . import yearly as Y
from .backlog import fit_after_closure
from .daily_checks import _band_scale, _drift_check, _rolling_errors, _widen, _yearly_check
from .daily_model import DailyModel, _fit, _part
from .special_days import fit_special_days, nothing_found

CHECK_LEVEL = 0.05  # one-sided: the yearly terms must forecast better, significantly


def fit_daily(day: np.ndarray, y: np.ndarray, types: np.ndarray, *,
              season_half_life_days: float = 56.0, level_half_life_days: float | None = None,
              level_phi_per_day: float | None = None, yearly: bool | None = None,
              after: np.ndarray | None = None, special: np.ndarray | None = None,
              special_names: tuple[str, ...] = (), growth_check: bool = True) -> DailyModel:
    """Fit the daily model to the totals of open days.

    Parameters
    ----------
    day : ndarray of int
        Day numbers of the days with calls, increasing.
    y : ndarray
        Their totals (> 0).
    types : ndarray of int
        Their day types (0..7).
    season_half_life_days : float
        Half-life of the recency weights of the day-type factors.
    level_half_life_days, level_phi_per_day : float, optional
        Fix the level's settings (chosen by in-sample error otherwise, see `forecast.level`).
    yearly : bool, optional
        ``None`` tries the yearly factor and keeps it when it helps out of sample;
        ``False`` never uses one; ``True`` keeps the harmonics the quasi-BIC picks
        (none under a year of history) without the out-of-sample check.
    after : ndarray of bool, optional
        The days that follow a closure (`forecast.backlog`); their factor is kept when
        the history shows one.
    special : ndarray of int, optional
        Each day's candidate date for a special-day factor, as an index into
        ``special_names`` (-1: none); see `forecast.special_days`.
    special_names : tuple of str
        The candidate dates (month-day).

    Returns
    -------
    DailyModel
        ``info`` has the yearly terms' choice, ``after_closure`` (the backlog's estimate),
        ``special_days`` and the band checks.

    Examples
    --------
    >>> day = np.arange(70)
    >>> y = np.where(day % 7 == 0, 200.0, 100.0)
    >>> model = fit_daily(day, y, (day + 3) % 7)
    >>> np.exp(model.log_total(np.array([70, 71]), np.array([3, 4]))).round(1).tolist()
    [200.0, 100.0]
    """
    day = np.asarray(day, np.int64)
    y = np.asarray(y, float)
    types = np.asarray(types, np.int64)
    if not (day.size == y.size == types.size) or day.size == 0:
        raise ValueError(f"day, y and types must be non-empty and equally long, got "
                         f"{day.size}, {y.size}, {types.size}")
    if (y <= 0).any():
        raise ValueError(f"daily totals must be > 0, got {y[y <= 0][0]:g}")
    settings = {"half_life_days": level_half_life_days, "phi_per_day": level_phi_per_day}
    coef, info = (np.zeros(0), {"harmonics": 0}) if yearly is False else Y.fit_yearly(day, y, types)
    model = _fit(day, y, types, coef, season_half_life_days, settings)
    backlog = {"factor": 0.0, "days": 0, "kept": False}
    extra = None  # log offset per day: the backlog after a closure, special dates
    if after is not None and np.any(after) and model.level.errors.size == y.size:
        after = np.asarray(after, bool)
        backlog = fit_after_closure(model.level.errors, after)
        if backlog["kept"]:
            extra = np.log1p(backlog["factor"] * after)
            model = _fit(day, y, types, coef, season_half_life_days, settings, extra)
    special_fit = nothing_found()
    if special is not None and np.any(np.asarray(special) >= 0):
        special = np.asarray(special, np.int64)
        errors = _special_errors(day, y, types, coef, season_half_life_days, settings, extra,
                                 special < 0)
        if errors is not None:
            special_fit = fit_special_days(errors, special, tuple(special_names))
        if special_fit["factors"]:
            by_key = np.array([special_fit["factors"].get(n, 0.0) for n in special_names] + [0.0])
            extra = (0.0 if extra is None else extra) + by_key[special]  # -1: the last, 0
            model = _fit(day, y, types, coef, season_half_life_days, settings, extra)
    ahead_errors = None  # out-of-sample standardised errors a quarter ahead, when measured
    if coef.size and yearly is None:
        # The check reuses the level settings chosen on the whole history: it judges the yearly
        # terms alone, and stays fast.
        fixed = {"half_life_days": model.level.half_life_days,
                 "phi_per_day": model.level.phi_per_day}
        check, by_variant = _yearly_check(day, y, types, info["harmonics"], season_half_life_days,
                                          fixed, extra)
        info = {**info, **check}
        kept = check.get("p_value", 1.0) < CHECK_LEVEL
        ahead_errors = by_variant.get(bool(kept))
        if not kept:
            model = _fit(day, y, types, np.zeros(0), season_half_life_days, settings, extra)
    info["kept"] = bool(model.yearly_coef.size)
    fixed = {"half_life_days": model.level.half_life_days, "phi_per_day": model.level.phi_per_day}
    harmonics = info["harmonics"] if model.yearly_coef.size else 0
    growth = {"kept": False}
    if growth_check:
        check, by_variant = _drift_check(day, y, types, harmonics, season_half_life_days, fixed,
                                         extra)
        growth = {**check, "kept": check.get("p_value", 1.0) < CHECK_LEVEL}
        # The windows without the growth are those of the model as it stands: not run again.
        if growth["kept"] or ahead_errors is None:
            ahead_errors = by_variant[growth["kept"]]
        if growth["kept"]:
            model = _fit(day, y, types, model.yearly_coef, season_half_life_days, settings, extra,
                         drift=True)
            fixed = {"half_life_days": model.level.half_life_days,
                     "phi_per_day": model.level.phi_per_day}
        growth["per_year"] = float(np.expm1(365.0 * model.level.drift_per_day))
    if ahead_errors is None:
        ahead_errors = _rolling_errors(day, y, types, harmonics, season_half_life_days, fixed,
                                       extra)[1]
    scale, band = _band_scale(day, y, types, model, season_half_life_days, fixed, extra)
    level, far = _widen(model.level, scale, ahead_errors)
    info = {**info, "after_closure": backlog, "special_days": special_fit, "growth": growth,
            "band_check": band, "far_band_check": far}
    return DailyModel(model.day_factor, model.yearly_coef, level, model.last_day, info,
                      backlog["factor"] if backlog["kept"] else 0.0, special_fit["factors"])


def _special_errors(day, y, types, coef, season_half_life_days, settings, extra,
                    regular: np.ndarray) -> np.ndarray | None:
    """Log errors: one step ahead on regular days, against the level around candidate dates.

    The level is fitted on the regular days alone and, on a candidate date, read between
    the filtered levels on either side: a run of busy days (27-30 December) would
    otherwise pull a one-step level up after its first day and hide itself.
    """
    if regular.sum() < 14:
        return None
    ref = _fit(day[regular], y[regular], types[regular], coef, season_half_life_days, settings,
               _part(extra, regular))
    if ref.level.errors.size != regular.sum() or ref.level.path.size != regular.sum():
        return None
    with np.errstate(divide="ignore"):
        log_ref = (np.interp(day, day[regular], ref.level.path) + np.log(ref.day_factor[types])
                   + Y.log_factor(day, coef) + (0.0 if extra is None else extra))
    out = np.log(y) - log_ref
    out[regular] = ref.level.errors
    return np.where(np.isfinite(out), out, 0.0)
