"""The daily model itself: day-type factors, yearly factor and level, and its fit.

`forecast.daily` chooses its parts (yearly terms, backlog, special dates) and
`forecast.daily_checks` checks it out of sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from . import yearly as Y
from .growth import yearly_drift
from .level import LevelFit, fit_level

N_TYPES = 8  # Monday=0 ... Sunday=6, public holiday=7


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
         offset=None, drift: bool = False) -> DailyModel:
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
        slope = yearly_drift(day, z) if drift else 0.0
        # The level is filtered on the totals less the growth, so it does not lag behind it.
        level = fit_level(day, z - slope * (day - day[-1]), count_var=1.0 / y, **level_settings)
        if slope:
            level = replace(level, drift_per_day=slope, path=level.path + slope * (
                day[day.size - level.path.size:] - day[-1]))
        e = level.errors
        scale = 6.0 * np.median(np.abs(e)) if e.size else 0.0
        if final or scale <= 0:
            break
        robust[y.size - e.size:] = np.clip(1.0 - (e / scale) ** 2, 0.0, None) ** 2
    return DailyModel(factor, coef, level, int(day[-1]))


def _part(offset: np.ndarray | None, keep: np.ndarray) -> np.ndarray | None:
    """The log offsets of the days ``keep`` selects."""
    return None if offset is None else offset[keep]
