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
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy import stats

from . import yearly as Y
from .backlog import fit_after_closure
from .level import LevelFit, fit_level
from .special_days import fit_special_days

N_TYPES = 8  # Monday=0 ... Sunday=6, public holiday=7
CHECK_HORIZON_DAYS = 91  # the out-of-sample check forecasts a quarter ahead...
MIN_CHECK_DAYS = 28  # ...or at least four weeks, when the history is shorter
CHECK_ORIGINS = 12
CHECK_LEVEL = 0.05  # one-sided: the yearly terms must forecast better, significantly
BAND_ORIGINS_DAYS_BACK = (14, 28, 42)  # origins of the out-of-sample check of the bands
BAND_HORIZON_DAYS = 14
MIN_BAND_TRAIN_DAYS = 28
BAND_PRIOR_DAYS = 14


@dataclass(frozen=True)
class DailyModel:
    """Day-type factors, yearly Fourier terms and the level of the daily totals."""

    day_factor: np.ndarray  # (8,) NaN where never seen, 0 where always closed
    yearly_coef: np.ndarray  # (2 harmonics,), empty without a yearly factor
    level: LevelFit
    last_day: int  # day number the level refers to
    info: dict = field(default_factory=dict)
    after_closure: float = 0.0  # extra share of calls on the first open day after a closure
    special: dict = field(default_factory=dict)  # month-day -> log factor (forecast.special_days)

    def log_total(self, day: np.ndarray, types: np.ndarray,
                  offset: np.ndarray | float | None = None) -> np.ndarray:
        """Log expected total of days ``day`` (day numbers) of day types ``types``.

        ``offset``: a log factor per day for what the day types do not know (the backlog
        after a closure, a special date), as `fit_daily` fitted them.
        """
        with np.errstate(divide="ignore"):
            factor = np.log(self.day_factor[types])
        return (self.level.log_forecast(day - self.last_day) + factor
                + Y.log_factor(day, self.yearly_coef) + (0.0 if offset is None else offset))


def _day_factors(y, types, log_yearly, day, half_life_days, robust) -> np.ndarray:
    """Recency- and robustness-weighted mean of ``y / yearly`` per day type.

    Normalised to the weekdays' mean of 1; a type whose every day is an outlier keeps
    its plain recency-weighted mean.
    """
    recency = 0.5 ** ((day[-1] - day) / half_life_days)
    adjusted = y * np.exp(-log_yearly)
    raw = np.full(N_TYPES, np.nan)
    for w in (recency, recency * robust):
        num = np.bincount(types, weights=w * adjusted, minlength=N_TYPES)
        den = np.bincount(types, weights=w, minlength=N_TYPES)
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), raw)
    week = raw[:7][np.isfinite(raw[:7])]
    return raw / (week.mean() if week.size else np.nanmean(raw))


def _fit(day, y, types, coef, season_half_life_days, level_settings,
         offset=None) -> DailyModel:
    """Day-type factors and level, twice: the second time with robustness weights.

    STL's outer loop (Cleveland et al. 1990): days whose one-step error is far out
    (the day after a holiday, an outage) get bisquare weights near zero, so that one odd
    Tuesday does not lift every Tuesday for weeks.
    """
    log_yearly = Y.log_factor(day, coef)
    if offset is not None:  # as if no closure had gone before, nor a special date
        y = y * np.exp(-offset)
    robust = np.ones(y.size)
    for final in (False, True):
        factor = _day_factors(y, types, log_yearly, day, season_half_life_days, robust)
        z = np.log(y) - np.log(factor[types]) - log_yearly
        level = fit_level(day, z, count_var=1.0 / y, **level_settings)
        e = level.errors
        scale = 6.0 * np.median(np.abs(e)) if e.size else 0.0
        if final or scale <= 0:
            break
        robust[y.size - e.size:] = np.clip(1.0 - (e / scale) ** 2, 0.0, None) ** 2
    return DailyModel(factor, coef, level, int(day[-1]))


def fit_daily(day: np.ndarray, y: np.ndarray, types: np.ndarray, *,
              season_half_life_days: float = 56.0, level_half_life_days: float | None = None,
              level_phi_per_day: float | None = None, yearly: bool | None = None,
              after: np.ndarray | None = None, special: np.ndarray | None = None,
              special_names: tuple[str, ...] = ()) -> DailyModel:
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
    special_fit = {"factors": {}, "tested": 0, "z": None, "found": {}}
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
    fixed = {"half_life_days": model.level.half_life_days, "phi_per_day": model.level.phi_per_day}
    ahead_errors = None  # out-of-sample standardised errors a quarter ahead, when measured
    if coef.size and yearly is None:
        # The check reuses the level settings chosen on the whole history: it judges the yearly
        # terms alone, and stays fast.
        check, by_variant = _yearly_check(day, y, types, info["harmonics"], season_half_life_days,
                                          fixed, extra)
        info = {**info, **check}
        kept = check.get("p_value", 1.0) < CHECK_LEVEL
        ahead_errors = by_variant.get(bool(kept))
        if not kept:
            model = _fit(day, y, types, np.zeros(0), season_half_life_days, settings, extra)
    info["kept"] = bool(model.yearly_coef.size)
    fixed = {"half_life_days": model.level.half_life_days, "phi_per_day": model.level.phi_per_day}
    if ahead_errors is None:
        harmonics = info["harmonics"] if model.yearly_coef.size else 0
        ahead_errors = _rolling_errors(day, y, types, harmonics, season_half_life_days, fixed,
                                       extra)[1]
    scale, band = _band_scale(day, y, types, model, season_half_life_days, fixed, extra)
    level, far = _widen(model.level, scale, ahead_errors)
    info = {**info, "after_closure": backlog, "special_days": special_fit, "band_check": band,
            "far_band_check": far}
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


def _part(offset: np.ndarray | None, keep: np.ndarray) -> np.ndarray | None:
    """The log offsets of the days ``keep`` selects."""
    return None if offset is None else offset[keep]


def _band_scale(day, y, types, model: DailyModel, season_half_life_days,
                level_settings, extra=None) -> tuple[float, str]:
    """How much wider the level's bands must be to hold out of sample (at least 1).

    In-sample errors flatter the model: its day-type factors were fitted on the very days
    they are scored on. A few origins over the last weeks refit the model on the days
    before them and forecast the next two weeks' totals; the log errors, divided by the
    band's sd at their horizon, should have 80 % inside +-1.28. A line whose weekday pattern
    shifts from week to week needs wider bands than its in-sample errors say (a real web
    line's bands covered 60-68 % without this).
    """
    end = int(day[-1]) + 1
    origins = [end - k for k in BAND_ORIGINS_DAYS_BACK if end - k - int(day[0]) >= MIN_BAND_TRAIN_DAYS]
    scaled = []
    for origin in origins:
        train, test = day < origin, (day >= origin) & (day < origin + BAND_HORIZON_DAYS)
        if not test.any():
            continue
        fit = _fit(day[train], y[train], types[train], model.yearly_coef, season_half_life_days,
                   level_settings, _part(extra, train))
        ahead = day[test] - fit.last_day
        log_mu = fit.log_total(day[test], types[test], _part(extra, test))
        e = np.log(y[test]) - log_mu
        ok = np.isfinite(e)
        # the count noise of a day's total adds 1 / mu to the variance of its log
        scaled.append(e[ok] / np.sqrt(fit.level.rel_var(ahead[ok]) + np.exp(-log_mu[ok])))
    if not scaled:
        return 1.0, "history too short to check the bands out of sample"
    z = np.concatenate(scaled)
    if z.size < 10:
        return 1.0, "too few days to check the bands out of sample"
    measured = float(np.quantile(np.abs(z), 0.8) / stats.norm.isf(0.1))
    # A few weeks of days measure the scale roughly, and the early refits, on less data,
    # err more than the final model will: the squared scale is pooled with the in-sample
    # band's (1) as if that were BAND_PRIOR_DAYS days of evidence.
    scale = float(np.sqrt((z.size * measured ** 2 + BAND_PRIOR_DAYS) / (z.size + BAND_PRIOR_DAYS)))
    return max(scale, 1.0), (f"{len(scaled)} origins, {z.size} days: out-of-sample errors "
                             f"{measured:.2f} times the in-sample band; bands widened "
                             f"{max(scale, 1.0):.2f} times")


def _check_origins(day: np.ndarray) -> tuple[list[int], int] | None:
    """Origins one horizon apart over the history after its first year, and the horizon.

    None when the history is too short for two windows of ``MIN_CHECK_DAYS``.
    """
    end = int(day[-1]) + 1
    horizon = min(CHECK_HORIZON_DAYS, (end - int(day[0]) - Y.MIN_FIT_DAYS) // 2)
    if horizon < MIN_CHECK_DAYS:
        return None
    origins = list(range(end - horizon, int(day[0]) + Y.MIN_FIT_DAYS - 1, -horizon))
    return origins[:CHECK_ORIGINS], horizon


def _rolling_errors(day, y, types, harmonics, season_half_life_days, level_settings,
                    extra=None) -> tuple[list, tuple | None]:
    """Refit at each check origin (`_check_origins`) and forecast the next horizon's totals.

    ``harmonics`` yearly terms are refitted at each origin (0: none).

    Returns
    -------
    list of (float, float)
        Per origin: absolute error summed over the window, and the window's calls.
    tuple of (ndarray, ndarray) or None
        Days ahead and the log errors divided by the band's sd at that horizon (level
        variance plus the count noise of a day's total), over all windows; None when the
        history is too short.
    """
    plan = _check_origins(day)
    if plan is None:
        return [], None
    origins, horizon = plan
    windows, aheads, scaled = [], [], []
    for origin in origins:
        train = day < origin
        test = (day >= origin) & (day < origin + horizon)
        if train.sum() < 2 or not test.any():
            continue
        coef = Y.fit_yearly(day[train], y[train], types[train], harmonics=harmonics)[0] \
            if harmonics else np.zeros(0)
        model = _fit(day[train], y[train], types[train], coef, season_half_life_days,
                     level_settings, _part(extra, train))
        log_mu = model.log_total(day[test], types[test], _part(extra, test))
        mu = np.exp(log_mu)
        windows.append((float(np.sum(np.abs(np.nan_to_num(mu) - y[test]))), float(y[test].sum())))
        ahead = day[test] - model.last_day
        e = np.log(y[test]) - log_mu
        ok = np.isfinite(e)
        aheads.append(ahead[ok])
        scaled.append(e[ok] / np.sqrt(model.level.rel_var(ahead[ok]) + np.exp(-log_mu[ok])))
    if not scaled:
        return windows, None
    return windows, (np.concatenate(aheads), np.concatenate(scaled))


def _widen(level: LevelFit, scale: float, far_errors: tuple | None) -> tuple[LevelFit, str]:
    """The level's variance by horizon, widened to what held out of sample.

    Up to ``BAND_HORIZON_DAYS`` by ``scale`` (`_band_scale`). Further ahead, in-sample
    errors also miss what the model cannot see in its own history: the yearly shape and
    the day factors re-estimated from less data, a trend. The rolling-origin windows of
    the yearly check (`_rolling_errors`) measure it: between each pair of measured
    horizons past two weeks, the errors divided by the band's sd should have 80 % inside
    +-1.28; where they have less, that horizon's variance is widened by the squared ratio
    (or by ``scale``, whichever is more). The variance is then kept non-decreasing in the
    horizon, as a level's error cannot shrink further ahead.
    """
    out, notes, low = [], [], 0
    for h, v in level.var_by_days:
        factor = max(scale, 1.0)
        if far_errors is not None and h > BAND_HORIZON_DAYS:
            ahead, z = far_errors
            pick = (ahead > max(low, BAND_HORIZON_DAYS)) & (ahead <= h)
            if pick.sum() >= MIN_CHECK_DAYS:
                measured = float(np.quantile(np.abs(z[pick]), 0.8) / stats.norm.isf(0.1))
                notes.append(f"{h} days ahead {measured:.2f}")
                factor = max(factor, measured)
        out.append(v * factor ** 2)
        low = h
    grown = np.maximum.accumulate(out).tolist() if out else []
    level = replace(level, var_by_days=tuple((h, float(v)) for (h, _), v in
                                             zip(level.var_by_days, grown, strict=True)))
    if far_errors is None:
        return level, "history too short to check the bands past two weeks out of sample"
    if not notes:
        return level, "no out-of-sample window reached past two weeks"
    return level, ("out-of-sample errors over the band's sd (widened where over 1): "
                   + ", ".join(notes))


def _yearly_check(day, y, types, harmonics, season_half_life_days, level_settings,
                  extra=None) -> tuple[dict, dict]:
    """Out-of-sample daily WAPE with and without the yearly terms, from rolling origins.

    The origins are one horizon apart, so the forecast windows do not overlap and the
    per-origin log ratios of the errors (without / with) can be tested for a positive
    mean by a t-test (the Diebold-Mariano test on non-overlapping windows, on the
    relative error measure of Fildes 1992).

    Returns the check's summary, and per variant (True: with the yearly terms) the
    standardised errors of `_rolling_errors`.
    """
    plan = _check_origins(day)
    if plan is None:
        span = int(day[-1]) + 1 - int(day[0])
        return {"check": f"history too short to check the yearly terms out of sample "
                         f"({span} days; {Y.MIN_FIT_DAYS + 2 * MIN_CHECK_DAYS} needed)"}, {}
    runs = {use: _rolling_errors(day, y, types, harmonics if use else 0, season_half_life_days,
                                 level_settings, extra) for use in (True, False)}
    pairs = list(zip(runs[True][0], runs[False][0], strict=True))
    if len(pairs) < 2:
        return {"check": "too few days to check the yearly terms out of sample"}, {}
    # Log ratios: a quarter where the season is steep must not swamp the others.
    d = np.array([np.log(max(wo / n, 1e-12) / max(w / n, 1e-12)) for (w, n), (wo, _) in pairs])
    total = sum(n for (_, n), _ in pairs)
    sd = d.std(ddof=1)
    p_value = float(stats.t.sf(d.mean() / (sd / np.sqrt(d.size)), d.size - 1)) if sd > 0 \
        else float(d.mean() <= 0)
    return ({"check": f"{d.size} origins, {plan[1]} days ahead",
             "wape_with_yearly": sum(w for (w, _), _ in pairs) / total,
             "wape_without_yearly": sum(wo for _, (wo, _) in pairs) / total,
             "p_value": p_value},
            {use: run[1] for use, run in runs.items()})
