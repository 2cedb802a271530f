"""Out-of-sample checks of the daily model: the yearly terms, and the bands near and far.

Each refits the model (`forecast.daily_model`) on the days before some origins and
scores its forecasts of the days after them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import stats

from . import yearly as Y
from .daily_model import DailyModel, _fit, _part
from .level import LevelFit

CHECK_HORIZON_DAYS = 91  # the out-of-sample check forecasts a quarter ahead...
MIN_CHECK_DAYS = 28  # ...or at least four weeks, when the history is shorter
CHECK_ORIGINS = 12
BAND_ORIGINS_DAYS_BACK = (14, 28, 42)  # origins of the out-of-sample check of the bands
BAND_HORIZON_DAYS = 14
MIN_BAND_TRAIN_DAYS = 28
BAND_PRIOR_DAYS = 14


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
                    extra=None, drift: bool = False) -> tuple[list, tuple | None]:
    """Refit at each check origin (`_check_origins`) and forecast the next horizon's totals.

    ``harmonics`` yearly terms are refitted at each origin (0: none); ``drift``: the
    level carries the growth over the last year (`daily_model.yearly_drift`).

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
                     level_settings, _part(extra, train), drift)
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
    test = _paired_test(runs[True][0], runs[False][0])
    if test is None:
        return {"check": "too few days to check the yearly terms out of sample"}, {}
    origins, with_, without, p_value = test
    return ({"check": f"{origins} origins, {plan[1]} days ahead", "wape_with_yearly": with_,
             "wape_without_yearly": without, "p_value": p_value},
            {use: run[1] for use, run in runs.items()})


def _drift_check(day, y, types, harmonics, season_half_life_days, level_settings,
                 extra=None) -> tuple[dict, dict]:
    """Out-of-sample daily WAPE with and without the level's yearly growth.

    As `_yearly_check`, on the origins where the growth can be measured (a year and a
    quarter of history before them). Returns the check's summary and, per variant (True:
    with the growth), the standardised errors of `_rolling_errors`.
    """
    runs = {use: _rolling_errors(day, y, types, harmonics, season_half_life_days,
                                 level_settings, extra, drift=use) for use in (True, False)}
    measured = [(w, wo) for w, wo in zip(runs[True][0], runs[False][0], strict=True) if w != wo]
    test = _paired_test(*zip(*measured, strict=True)) if len(measured) >= 2 else None
    errors = {use: run[1] for use, run in runs.items()}
    if test is None:
        return {"check": "too short to check a growth out of sample"}, errors
    origins, with_, without, p_value = test
    return ({"check": f"{origins} origins", "wape_with_growth": with_,
             "wape_without_growth": without, "p_value": p_value}, errors)


def _paired_test(with_: list, without: list) -> tuple | None:
    """One-sided t-test that the windows' errors are lower with a part than without it.

    ``with_`` and ``without``: per origin (absolute error, calls). Returns the number of
    origins, both pooled WAPEs and the p-value; None with under two origins.
    """
    pairs = list(zip(with_, without, strict=True))
    if len(pairs) < 2:
        return None
    # Log ratios: a quarter where the season is steep must not swamp the others.
    d = np.array([np.log(max(wo / n, 1e-12) / max(w / n, 1e-12)) for (w, n), (wo, _) in pairs])
    total = sum(n for (_, n), _ in pairs)
    sd = d.std(ddof=1)
    p_value = float(stats.t.sf(d.mean() / (sd / np.sqrt(d.size)), d.size - 1)) if sd > 0 \
        else float(d.mean() <= 0)
    return (d.size, sum(w for (w, _), _ in pairs) / total, sum(wo for _, (wo, _) in pairs) / total,
            p_value)
