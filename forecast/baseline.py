"""Baseline call volume: daily level x day type x yearly factor x intraday profile.

A top-down model, the structure call-centre forecasters use (Weinberg, Brown and
Stroud 2007; Shen and Huang 2008): the daily total is predicted first, then split
over the day by a profile.

* **Daily totals** (`forecast.daily`): recency-weighted day-type factors (Monday ...
  Sunday, public holiday), a yearly factor when a year or more of history shows one
  out of sample (`forecast.yearly`), and a level with a fading day-to-day deviation
  whose settings are chosen by the in-sample error up to a week ahead (`forecast.level`).
* **Intraday profile** (`forecast.profile`): shares of the day per time-of-day slot
  for each day type, shrunk towards the pooled profile and smoothed along the day,
  with all three settings chosen by cross-validation on the history.
  Slots where the line was always closed get share zero.
* **Noise**: negative binomial; the over-dispersion is the scatter of intervals around
  the profile at the length asked for, and the level's error, measured in sample at
  each horizon, grows with it.

Intervals may be missing (a closed line often logs nothing); they are left out
of the fit rather than read as zero calls. Settings left ``None`` in
`BaselineConfig` are chosen from the data.
"""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .backlog import after_closure, usual_weekdays
from .backlog import weekday as _weekday
from .daily import fit_daily
from .daily_model import N_TYPES
from .level import LevelFit
from .profile import alpha_at, fit_profiles, scatter_by_hour, scatter_by_slots
from .special_days import candidate_keys, candidates, log_factors
from .yearly import log_factor

HOLIDAY = 7  # day type of public holidays, after Monday=0 ... Sunday=6
_NS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class BaselineConfig:
    """Settings of the baseline; those left ``None`` are chosen from the history.

    Attributes
    ----------
    level_half_life_days : float, optional
        Half-life of the smoothing of the daily level (chosen by one-step error).
    season_half_life_days : float
        Half-life of the recency weights of the day-type factors.
    profile_half_life_days : float, optional
        Half-life of the recency weights of the intraday profiles (chosen by
        cross-validation, like the next two).
    profile_prior_days : float, optional
        Strength, in days, of the pull of each day type's profile towards the pooled one.
    profile_smooth_min : float, optional
        Standard deviation, in minutes, of the Gaussian smoothing of profiles along the day.
    level_phi_per_day : float, optional
        Persistence per calendar day of a day's deviation from the level, in [0, 1).
    yearly : bool, optional
        ``None``: a yearly factor is tried with a year of history and kept when it
        forecasts better out of sample; ``False``: never; ``True``: kept without that
        check (still none with under a year of history).
    growth : bool
        ``True``: the level carries the line's growth over the last year ahead when it
        forecasts better out of sample (`forecast.growth`); ``False``: never.

    Examples
    --------
    >>> BaselineConfig(level_half_life_days=0)
    Traceback (most recent call last):
    ...
    ValueError: level_half_life_days must be > 0 days or None, got 0
    """

    level_half_life_days: float | None = None
    season_half_life_days: float = 56.0
    profile_half_life_days: float | None = None
    profile_prior_days: float | None = None
    profile_smooth_min: float | None = None
    level_phi_per_day: float | None = None
    yearly: bool | None = None
    growth: bool = True

    def __post_init__(self):
        for name in ("level_half_life_days", "season_half_life_days", "profile_half_life_days"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be > 0 days or None, got {value}")
        for name in ("profile_prior_days", "profile_smooth_min"):
            value = getattr(self, name)
            if value is not None and not value >= 0:
                raise ValueError(f"{name} must be >= 0 or None, got {value}")
        phi = self.level_phi_per_day
        if phi is not None and not 0 <= phi < 1:
            raise ValueError(f"level_phi_per_day must be in [0, 1) or None, got {phi}")
        if self.yearly not in (None, True, False):
            raise ValueError(f"yearly must be True, False or None, got {self.yearly!r}")
        if self.growth not in (True, False):
            raise ValueError(f"growth must be True or False, got {self.growth!r}")


@dataclass
class BaselineFit:
    """A fitted baseline; `expected` turns it into expected calls per interval."""

    interval_s: float
    level: float  # deseasonalised daily level at the last fitted day
    day_factor: np.ndarray  # (8,) Monday..Sunday, holiday; NaN where never seen
    profile: np.ndarray  # (8, slots) shares of the day per slot
    dispersion: float  # interval-level NB alpha (variance = mu + alpha mu^2)
    level_rel_sd: float  # relative sd of the one-day-ahead level
    slot_s: float
    config: BaselineConfig = field(default_factory=BaselineConfig)
    # Fitted models written before these existed load with the defaults: a flat level.
    level_day: int | None = None  # local day number (days since 1970-01-01) of the level
    level_deviation: float = 0.0  # log deviation of that day, fading ahead
    level_phi_per_day: float = 0.0
    level_drift_per_day: float = 0.0  # log growth a day (forecast.daily: kept when it helps)
    level_var_by_days: tuple = ()  # ((days ahead, relative variance of the level), ...)
    yearly_coef: tuple = ()  # Fourier coefficients of the yearly factor (forecast.yearly)
    dispersion_by_slots: tuple = ()  # ((slots, alpha), ...): NB alpha of sums of that many slots
    dispersion_shape: tuple = ()  # per slot of the day: its alpha over the day's (1: flat)
    # The first open day after a closure gets 1 + after_closure times its calls (forecast.backlog).
    after_closure: float = 0.0
    open_weekdays: tuple = ()  # weekdays the line usually works (Monday=0)
    closed_days: tuple = ()  # local day numbers of the history's closures on those weekdays
    last_day: int | None = None  # local day number of the history's last day
    # ((month-day, log factor), ...): dates around holidays off their weekday every year
    special_days: tuple = ()
    info: dict = field(default_factory=dict)  # the settings chosen and the checks behind them
    # The filtered level of each fitted day (not saved: only a fit in progress uses it).
    level_path_days: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64),
                                        repr=False, compare=False)
    level_path: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False,
                                   compare=False)

    def to_dict(self) -> dict:
        """JSON-ready fields (NaN, for day types never seen, become ``None``)."""
        def clean(a):
            return [[None if not np.isfinite(x) else float(x) for x in row]
                    for row in np.atleast_2d(a)]

        return {"interval_s": self.interval_s, "level": self.level,
                "day_factor": clean(self.day_factor)[0], "profile": clean(self.profile),
                "dispersion": self.dispersion, "level_rel_sd": self.level_rel_sd,
                "slot_s": self.slot_s, "level_day": self.level_day,
                "level_deviation": self.level_deviation,
                "level_phi_per_day": self.level_phi_per_day,
                "level_drift_per_day": self.level_drift_per_day,
                "level_var_by_days": [[int(h), float(v)] for h, v in self.level_var_by_days],
                "yearly_coef": [float(c) for c in self.yearly_coef],
                "dispersion_by_slots": [[int(k), float(a)] for k, a in self.dispersion_by_slots],
                "dispersion_shape": [float(v) for v in self.dispersion_shape],
                "after_closure": self.after_closure,
                "open_weekdays": [int(k) for k in self.open_weekdays],
                "closed_days": [int(k) for k in self.closed_days], "last_day": self.last_day,
                "special_days": [[str(md), float(v)] for md, v in self.special_days],
                "info": self.info}

    @classmethod
    def from_dict(cls, data: dict, config: BaselineConfig) -> BaselineFit:
        """Inverse of `to_dict`."""
        def arr(x):
            return np.array([[np.nan if v is None else v for v in row] for row in x], float)

        return cls(interval_s=data["interval_s"], level=data["level"],
                   day_factor=arr([data["day_factor"]])[0], profile=arr(data["profile"]),
                   dispersion=data["dispersion"], level_rel_sd=data["level_rel_sd"],
                   slot_s=data["slot_s"], config=config, level_day=data.get("level_day"),
                   level_deviation=data.get("level_deviation", 0.0),
                   level_phi_per_day=data.get("level_phi_per_day", 0.0),
                   level_drift_per_day=data.get("level_drift_per_day", 0.0),
                   level_var_by_days=tuple((int(h), float(v))
                                           for h, v in data.get("level_var_by_days", ())),
                   yearly_coef=tuple(data.get("yearly_coef", ())),
                   dispersion_by_slots=tuple((int(k), float(a))
                                             for k, a in data.get("dispersion_by_slots", ())),
                   dispersion_shape=tuple(float(v) for v in data.get("dispersion_shape", ())),
                   after_closure=float(data.get("after_closure", 0.0)),
                   open_weekdays=tuple(int(k) for k in data.get("open_weekdays", ())),
                   closed_days=tuple(int(k) for k in data.get("closed_days", ())),
                   last_day=data.get("last_day"),
                   special_days=tuple((str(md), float(v))
                                      for md, v in data.get("special_days", ())),
                   info=data.get("info", {}))

    def _days_ahead(self, day: np.ndarray) -> np.ndarray:
        return day - self.level_day if self.level_day is not None else np.zeros_like(day)

    def day_level(self, index: pd.DatetimeIndex) -> np.ndarray:
        """Daily level (before the day-type factor) of the day of each interval of ``index``.

        The level at the last fitted day, its deviation fading ahead, times the yearly factor.
        """
        return self._day_level(_calendar(index, frozenset(), self.slot_s)[0])

    def _day_level(self, day: np.ndarray, in_sample: bool = False) -> np.ndarray:
        level = LevelFit(math.log(self.level), self.level_deviation, 1.0, self.level_phi_per_day,
                         drift_per_day=self.level_drift_per_day)
        log_level = level.log_forecast(self._days_ahead(day))
        if in_sample and self.level_path.size and self.level_day is not None:
            # Days of the history sit at the level of their own time, not the last one's:
            # measured against the last level, a level that wandered over months looks
            # like a carry-over of whatever aired while it was high.
            log_level = np.where(day <= self.level_day,
                                 np.interp(day, self.level_path_days, self.level_path),
                                 log_level)
        return np.exp(log_level + log_factor(day, np.asarray(self.yearly_coef, float)))

    def interval_dispersion(self, width_s: np.ndarray | float,
                            index: pd.DatetimeIndex | None = None) -> np.ndarray:
        """NB alpha (variance = mu + alpha mu^2) of intervals ``width_s`` seconds long.

        The scatter of a day's intervals around its profile, measured on sums of 1, 2,
        3, ... slots: it shrinks as intervals grow (a 30-minute count is not six times a
        5-minute one's wobble) and vanishes for whole days, whose error is the level's.
        Given the intervals' starts (``index``), scaled by the hour's own scatter
        (`forecast.profile.scatter_by_hour`).
        """
        width = np.asarray(width_s, float)
        if not self.dispersion_by_slots:
            return np.full(width.shape, self.dispersion)
        out = alpha_at(self.dispersion_by_slots, width / self.slot_s)
        if index is not None and self.dispersion_shape:
            shape = np.asarray(self.dispersion_shape, float)
            slot = np.clip(_calendar(index, frozenset(), self.slot_s)[2], 0, shape.size - 1)
            out = out * shape[slot]
        return out

    def level_rel_var(self, days_ahead: np.ndarray) -> np.ndarray:
        """Relative variance of the daily level ``days_ahead`` (1 = the next day) days ahead."""
        h = np.maximum(np.asarray(days_ahead, float), 1.0)
        if self.level_var_by_days:
            days, var = (np.array(a, float) for a in zip(*self.level_var_by_days, strict=True))
            return np.interp(h, days, var)
        # Models fitted before the level was measured ahead: exponential smoothing's growth.
        smoothing = 1.0 - 0.5 ** (1.0 / (self.config.level_half_life_days or 10.0))
        return self.level_rel_sd ** 2 * (1.0 + (h - 1.0) * smoothing ** 2)

    def level_rel_var_at(self, index: pd.DatetimeIndex, history_end: pd.Timestamp) -> np.ndarray:
        """`level_rel_var` for the day of each interval of ``index``.

        Counted from the level's own last day (which precedes ``history_end`` when the
        end of the history was left out of the fit), else from ``history_end``.
        """
        day = _calendar(index, frozenset(), self.slot_s)[0]
        if self.level_day is None:
            end = _calendar(pd.DatetimeIndex([history_end]), frozenset(), self.slot_s)[0][0]
            return self.level_rel_var(day - end + 1)
        return self.level_rel_var(day - self.level_day)

    def expected(self, index: pd.DatetimeIndex, holidays: AbstractSet,
                 holidays_closed: bool | None = None, *, in_sample: bool = False,
                 closed: AbstractSet = frozenset()) -> np.ndarray:
        """Baseline expected calls for the intervals of ``index``.

        ``holidays_closed``: ``True`` closes public holidays, ``False`` treats them as
        ordinary days of their weekday, ``None`` uses what the history showed (and, if
        it held no holiday, treats them as ordinary days: the data cannot tell).
        ``in_sample``: days of the history get the level filtered up to them (held
        across days left out of the fit) instead of the level at the history's end.
        ``closed``: dates closed whatever ``holidays_closed`` says (holidays the history
        showed closed by name).
        """
        day, types, slots = _calendar(index, holidays, self.slot_s)
        is_holiday = types == HOLIDAY
        seen_holiday = np.isfinite(self.day_factor[HOLIDAY])
        if holidays_closed is False or (holidays_closed is None and not seen_holiday):
            types = np.where(is_holiday, _weekday(day), types)
        factor = self.day_factor[types]
        # A weekday never seen open (e.g. Sunday of a Monday-Friday line) stays closed.
        factor = np.where(np.isnan(factor), 0.0, factor)
        prof_types = np.where(np.isnan(self.profile[types, 0]), 0, types)
        share = self.profile[prof_types, slots]
        out = self._day_level(day, in_sample) * factor * share
        if self.special_days:  # a holiday has its own factor, not its date's
            out = out * np.exp(log_factors(day, dict(self.special_days), exclude=is_holiday))
        # Days closed ahead: holidays when they are (by the rule, or by a holiday factor of
        # 0) and the holidays closed by name. They also set where a backlog falls.
        shut = _day_numbers(closed)
        if holidays and (holidays_closed or (holidays_closed is None
                                             and self.day_factor[HOLIDAY] == 0)):
            shut = np.r_[shut, _day_numbers(holidays)]
        if self.after_closure:
            out = out * self._backlog(day, shut)
        if shut.size:
            out = np.where(np.isin(day, shut), 0.0, out)
        return out

    def _backlog(self, day: np.ndarray, shut: np.ndarray) -> np.ndarray:
        """1 + the backlog on the first open day after a closure, 1 on other days.

        Closures are those of the history and, after it, the days ``shut``.
        """
        end = self.last_day if self.last_day is not None else -1
        closed = np.r_[np.array(self.closed_days, np.int64), shut[shut > end]]
        unique, where = np.unique(day, return_inverse=True)
        flags = after_closure(unique, self.open_weekdays, closed)
        return 1.0 + self.after_closure * flags[where]


def _day_numbers(dates: AbstractSet) -> np.ndarray:
    """Day numbers (days since 1970-01-01) of a set of dates."""
    return np.array(sorted(dates), dtype="datetime64[D]").astype(np.int64)


def _calendar(index: pd.DatetimeIndex, holidays: AbstractSet, slot_s: float):
    """Local day number, day type and time-of-day slot of each interval (all NumPy)."""
    local = index.tz_localize(None) if index.tz is not None else index
    ns = local.as_unit("ns").asi8
    day = ns // _NS_PER_DAY
    types = _weekday(day)
    if holidays:
        types = np.where(np.isin(day, _day_numbers(holidays)), HOLIDAY, types)
    slots = ((ns - day * _NS_PER_DAY) // int(round(slot_s * 1e9))).astype(np.int64)
    return day, types, slots


def fit_baseline(calls: pd.Series, holidays: AbstractSet, *, weight: np.ndarray | None = None,
                 config: BaselineConfig | None = None,
                 taken_off: np.ndarray | None = None) -> BaselineFit:
    """Fit the baseline to calls per interval.

    Parameters
    ----------
    calls : Series
        Calls per interval on a regular tz-aware or naive ``DatetimeIndex``; NaN for
        intervals with no record (closed, outage).
    holidays : set of datetime.date
        Public holidays (their own day type).
    weight : ndarray, optional
        Per-interval weight in [0, 1]; 0 leaves an interval out (e.g. a campaign period
        whose calls are explained by the campaign model, not the baseline).
    config : BaselineConfig, optional
    taken_off : ndarray, optional
        Expected calls per interval already subtracted from ``calls`` (a campaign's
        response): their count noise is not scatter around the profile.

    Returns
    -------
    BaselineFit

    Raises
    ------
    ValueError
        If no interval is usable, or ``weight`` does not match ``calls``.

    Examples
    --------
    >>> index = pd.date_range("2024-01-01", periods=28 * 24, freq="h")
    >>> calls = pd.Series(np.where(index.hour < 12, 10.0, 30.0), index=index)
    >>> fit = fit_baseline(calls, frozenset())
    >>> fit.expected(index[-24:] + pd.Timedelta(days=1), frozenset())[[0, 12]].round(6).tolist()
    [10.0, 30.0]
    """
    config = config or BaselineConfig()
    index = pd.DatetimeIndex(calls.index)
    step = (index[1] - index[0]).total_seconds() if len(index) > 1 else 86400.0
    slot_s = min(step, 86400.0)
    n_slots = int(round(86400.0 / slot_s))
    y = calls.to_numpy(dtype=float)
    w = np.ones_like(y) if weight is None else np.asarray(weight, float)
    if w.shape != y.shape:
        raise ValueError(f"weight must have one value per interval ({y.size}), got shape {w.shape}")
    seen = ~np.isnan(y) & (w > 0)
    day, types, slots = _calendar(index, holidays, slot_s)
    first = day.min()
    d = day - first
    n_days = int(d.max()) + 1
    y0 = np.where(seen, y, 0.0)
    total = np.bincount(d, weights=y0, minlength=n_days)
    n_seen = np.bincount(d, weights=seen, minlength=n_days)
    day_type = np.zeros(n_days, np.int64)
    day_type[d] = types
    has = n_seen > 0
    # A holiday on a weekday the line never works (Easter Sunday of a Monday-Saturday
    # line) says nothing about holidays: it is that weekday. Read as a closed holiday it
    # would close every weekday holiday ahead.
    weekday = _weekday(np.arange(n_days) + first)
    works = np.bincount(weekday[has & (total > 0)], minlength=7) > 0
    silent = (day_type == HOLIDAY) & ~works[weekday]
    day_type[silent] = weekday[silent]
    types = day_type[d]
    if not has.any():
        raise ValueError("history has no usable intervals to fit the baseline on")
    # Whole days only: a day cut by an outage or by the start of a campaign would
    # look like a day with a strange total and shape. The median count of intervals
    # of a day type is its whole day (a 25-hour DST day must not set the bar).
    need = np.full(N_TYPES, np.inf)
    for k in np.unique(day_type[has]):
        need[k] = np.median(n_seen[has & (day_type == k)])
    full = has & (n_seen >= need[day_type])
    open_ = full & (total > 0)
    if not open_.any():
        raise ValueError("history has no whole day with calls to fit the baseline on")
    days_open = np.flatnonzero(open_)
    # Closures: usually-open weekdays without a call, whatever their weight in the fit.
    span = first + np.arange(n_days)
    worked = np.bincount(d, weights=np.nan_to_num(y), minlength=n_days) > 0
    open_weekdays = usual_weekdays(span, worked)
    closed_days = span[np.isin(weekday, open_weekdays) & ~worked]
    names = candidates(holidays, int(first), int(first + n_days - 1))
    special_keys = np.where(day_type[open_] == HOLIDAY, -1,
                            candidate_keys(first + days_open, names))
    daily = fit_daily(first + days_open, total[open_], day_type[open_],
                      season_half_life_days=config.season_half_life_days,
                      level_half_life_days=config.level_half_life_days,
                      level_phi_per_day=config.level_phi_per_day, yearly=config.yearly,
                      growth_check=config.growth,
                      after=after_closure(first + days_open, open_weekdays, closed_days),
                      special=special_keys, special_names=names)
    day_factor = daily.day_factor.copy()
    closed_types = np.setdiff1d(day_type[full], day_type[open_])
    day_factor[closed_types] = 0.0

    in_profile = seen & open_[d]
    counts = np.bincount(d[in_profile] * n_slots + slots[in_profile], weights=y[in_profile],
                         minlength=n_days * n_slots).reshape(n_days, n_slots)[open_]
    smooth = None if config.profile_smooth_min is None else config.profile_smooth_min * 60 / slot_s
    profile, chosen, unseen = fit_profiles(counts, day_type[open_], days_open,
                                           half_life_days=config.profile_half_life_days,
                                           prior_days=config.profile_prior_days,
                                           smooth_slots=smooth, slot_s=slot_s, held_out=True)
    recorded = np.bincount(d[in_profile] * n_slots + slots[in_profile],
                           minlength=n_days * n_slots).reshape(n_days, n_slots)[open_] > 0
    off = None
    if taken_off is not None:
        x = np.where(in_profile, np.nan_to_num(np.asarray(taken_off, float)), 0.0)
        off = np.bincount(d[in_profile] * n_slots + slots[in_profile], weights=x[in_profile],
                          minlength=n_days * n_slots).reshape(n_days, n_slots)[open_]
    # Scatter around each day's profile fitted without it: what a forecast day meets.
    expected = total[open_, None] * unseen
    by_slots = scatter_by_slots(counts, expected, ~recorded, off)
    alpha_hour = float(alpha_at(by_slots, max(round(3600.0 / slot_s), 1)))
    by_hour = scatter_by_hour(counts, expected, ~recorded, slot_s, alpha_hour, off)
    lev = daily.level
    info = {"level_half_life_days": lev.half_life_days, "level_phi_per_day": lev.phi_per_day,
            "profile_half_life_days": chosen.half_life_days,
            "profile_prior_days": chosen.prior_days,
            "profile_smooth_min": chosen.smooth_slots * slot_s / 60.0,
            "yearly": {k: v for k, v in daily.info.items()
                       if k not in ("band_check", "far_band_check", "after_closure",
                                    "special_days", "growth")},
            "growth": daily.info.get("growth"),
            "after_closure": daily.info.get("after_closure"),
            "special_days": daily.info.get("special_days"),
            "band_check": daily.info.get("band_check"),
            "far_band_check": daily.info.get("far_band_check")}
    return BaselineFit(interval_s=step, level=float(np.exp(lev.log_level)), day_factor=day_factor,
                       profile=profile, dispersion=by_slots[0][1],
                       level_rel_sd=float(np.sqrt(lev.var_by_days[0][1])), slot_s=slot_s,
                       config=config,
                       level_day=int(daily.last_day), level_deviation=lev.deviation,
                       level_phi_per_day=lev.phi_per_day, level_var_by_days=lev.var_by_days,
                       level_drift_per_day=lev.drift_per_day,
                       yearly_coef=tuple(float(c) for c in daily.yearly_coef),
                       dispersion_by_slots=by_slots, after_closure=daily.after_closure,
                       dispersion_shape=tuple(float(v) for v in by_hour),
                       special_days=tuple(sorted(daily.special.items())),
                       open_weekdays=open_weekdays,
                       closed_days=tuple(int(k) for k in closed_days),
                       last_day=int(span[-1]), info=info,
                       level_path_days=first + days_open, level_path=lev.path)
