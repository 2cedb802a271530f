"""Baseline call volume: daily level x day-of-week x holiday x intraday profile.

A top-down model, the structure call-centre forecasters use (Weinberg, Brown and
Stroud 2007; Shen and Huang 2008): the daily total is predicted first, then split
over the day by a profile.

* **Day-of-week and holiday factors** come from a negative binomial GLM
  (statsmodels) on daily totals, with recency weights so that old weeks fade.
* **Level**: an exponentially weighted mean of the deseasonalised daily totals,
  i.e. simple exponential smoothing, flat into the future.
* **Intraday profile**: shares of the day per time-of-day slot for each weekday,
  shrunk towards the pooled profile of all open days, recency weighted.
  Slots where the line was always closed get share zero.
* **Noise**: negative binomial at interval level; the dispersion combines the
  scatter of intervals around the profile with the one-day-ahead error of the level.

Intervals may be missing (a closed line often logs nothing); they are left out
of the fit rather than read as zero calls.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

HOLIDAY = 7  # day type of public holidays, after Monday=0 ... Sunday=6


@dataclass(frozen=True)
class BaselineConfig:
    """Smoothing settings of the baseline (defaults suit 5-minute to daily data).

    Attributes
    ----------
    level_half_life_days : float
        Half-life of the recency weights of the daily level.
    season_half_life_days : float
        Half-life of the weights for the day-of-week and holiday factors.
    profile_half_life_days : float
        Half-life of the weights of the intraday profiles.
    profile_prior_days : float
        Strength, in days, of the pull of each weekday profile towards the pooled one.
    profile_smooth_min : float
        Standard deviation, in minutes, of the Gaussian smoothing of profiles along the day.
    """

    level_half_life_days: float = 10.0
    season_half_life_days: float = 56.0
    profile_half_life_days: float = 28.0
    profile_prior_days: float = 1.0
    profile_smooth_min: float = 5.0


@dataclass
class BaselineFit:
    """A fitted baseline; `predict` turns it into expected calls per interval."""

    interval_s: float
    level: float
    day_factor: np.ndarray  # (8,) Monday..Sunday, holiday; NaN where never seen
    profile: np.ndarray  # (8, slots) shares of the day per slot
    dispersion: float  # interval-level NB alpha (variance = mu + alpha mu^2)
    level_rel_sd: float  # relative sd of the one-day-ahead level
    slot_s: float
    config: BaselineConfig = field(default_factory=BaselineConfig)

    def to_dict(self) -> dict:
        """JSON-ready fields (NaN, for day types never seen, become ``None``)."""
        def clean(a):
            return [[None if not np.isfinite(x) else float(x) for x in row]
                    for row in np.atleast_2d(a)]

        return {"interval_s": self.interval_s, "level": self.level,
                "day_factor": clean(self.day_factor)[0], "profile": clean(self.profile),
                "dispersion": self.dispersion, "level_rel_sd": self.level_rel_sd,
                "slot_s": self.slot_s}

    @classmethod
    def from_dict(cls, data: dict, config: BaselineConfig) -> BaselineFit:
        """Inverse of `to_dict`."""
        def arr(x):
            return np.array([[np.nan if v is None else v for v in row] for row in x], float)

        return cls(interval_s=data["interval_s"], level=data["level"],
                   day_factor=arr([data["day_factor"]])[0], profile=arr(data["profile"]),
                   dispersion=data["dispersion"], level_rel_sd=data["level_rel_sd"],
                   slot_s=data["slot_s"], config=config)

    def expected(self, index: pd.DatetimeIndex, holidays: AbstractSet,
                 holidays_closed: bool | None = None) -> np.ndarray:
        """Baseline expected calls for the intervals of ``index``.

        ``holidays_closed``: ``True`` closes public holidays, ``False`` treats them as
        ordinary days of their weekday, ``None`` uses what the history showed (and, if
        it held no holiday, treats them as ordinary days: the data cannot tell).
        """
        _, types, slots = _calendar(index, holidays, self.slot_s)
        weekday = index.day_of_week.to_numpy()
        seen_holiday = np.isfinite(self.day_factor[HOLIDAY])
        if holidays_closed is False or (holidays_closed is None and not seen_holiday):
            types = np.where(types == HOLIDAY, weekday, types)
        factor = self.day_factor[types]
        # A weekday never seen open (e.g. Sunday of a Monday-Friday line) stays closed.
        factor = np.where(np.isnan(factor), 0.0, factor)
        prof_types = np.where(np.isnan(self.profile[types, 0]), 0, types)
        share = self.profile[prof_types, slots]
        out = self.level * factor * share
        if holidays_closed:
            out = np.where(_calendar(index, holidays, self.slot_s)[1] == HOLIDAY, 0.0, out)
        return out


def _calendar(index: pd.DatetimeIndex, holidays: AbstractSet, slot_s: float):
    local = index
    day = local.normalize()
    dates = local.date
    types = local.day_of_week.to_numpy().copy()
    if holidays:
        is_hol = np.fromiter((d in holidays for d in dates), bool, len(dates))
        types[is_hol] = HOLIDAY
    seconds = (local.hour * 3600 + local.minute * 60 + local.second).to_numpy()
    slots = (seconds // slot_s).astype(np.int64)
    return day, types, slots


def _weights(age_days: np.ndarray, half_life: float) -> np.ndarray:
    return 0.5 ** (age_days / half_life)


def fit_baseline(calls: pd.Series, holidays: AbstractSet, *, weight: np.ndarray | None = None,
                 config: BaselineConfig | None = None) -> BaselineFit:
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

    Returns
    -------
    BaselineFit
    """
    config = config or BaselineConfig()
    index = pd.DatetimeIndex(calls.index)
    step = (index[1] - index[0]).total_seconds() if len(index) > 1 else 86400.0
    slot_s = min(step, 86400.0)
    n_slots = int(round(86400.0 / slot_s))
    y = calls.to_numpy(dtype=float)
    w = np.ones_like(y) if weight is None else np.asarray(weight, float)
    seen = ~np.isnan(y) & (w > 0)
    day, types, slots = _calendar(index, holidays, slot_s)

    frame = pd.DataFrame({"day": day, "type": types, "y": np.where(seen, y, 0.0),
                          "seen": seen})
    daily = frame.groupby("day").agg(y=("y", "sum"), type=("type", "first"), seen=("seen", "sum"))
    daily = daily[daily["seen"] > 0]
    if daily.empty:
        raise ValueError("history has no usable intervals to fit the baseline on")
    # A day only partly seen is scaled up later through its profile; here keep full days.
    full = daily["seen"] >= daily["seen"].groupby(daily["type"]).transform("max")
    daily = daily[full]
    # Profiles and dispersion too use whole days only: a day cut by the start of a
    # campaign would otherwise look like a day with a strange shape.
    seen &= np.asarray(day.isin(daily.index))
    last = daily.index.max()
    open_days = daily[daily["y"] > 0]
    age_open = ((last - open_days.index) / pd.Timedelta(days=1)).to_numpy(dtype=float)

    # Day-type factors from a weighted negative binomial GLM on open days.
    day_factor = np.full(8, np.nan)
    present = np.unique(open_days["type"].to_numpy())
    exog = (open_days["type"].to_numpy()[:, None] == present[None, :]).astype(float)
    if len(open_days) > len(present):
        glm = sm.GLM(open_days["y"].to_numpy(), exog, family=sm.families.NegativeBinomial(alpha=0.01),
                     freq_weights=_weights(age_open, config.season_half_life_days))
        coef = glm.fit().params
    else:
        coef = np.log(np.maximum(open_days.groupby("type")["y"].mean().to_numpy(), 1e-9))
    raw = np.exp(coef)
    # Normalise so that the level is the mean over the weekday types seen.
    norm = raw[present < 7].mean() if (present < 7).any() else raw.mean()
    day_factor[present] = raw / norm
    closed_types = set(np.unique(daily["type"])) - set(present)
    day_factor[list(closed_types)] = 0.0

    # Level: exponentially weighted mean of deseasonalised daily totals.
    f = day_factor[open_days["type"].to_numpy()]
    deseason = open_days["y"].to_numpy() / f
    lw = _weights(age_open, config.level_half_life_days)
    level = float(np.sum(lw * deseason) / np.sum(lw))
    level_rel_sd = _level_error(deseason, config.level_half_life_days,
                                config.season_half_life_days)

    profile = _profiles(y, seen, day, types, slots, n_slots, last, config, slot_s)
    dispersion = _interval_dispersion(y, seen, day, profile, types, slots)
    return BaselineFit(interval_s=step, level=level, day_factor=day_factor, profile=profile,
                       dispersion=dispersion, level_rel_sd=level_rel_sd, slot_s=slot_s,
                       config=config)


def _level_error(deseason: np.ndarray, half_life: float, recent_half_life: float) -> float:
    """Relative sd of one-day-ahead errors of the exponentially smoothed level, in sample."""
    if deseason.size < 6:
        return 0.1
    alpha = 1.0 - 0.5 ** (1.0 / half_life)
    level = deseason[:3].mean()
    errors = []
    for x in deseason[3:]:
        errors.append(x / level - 1.0)
        level += alpha * (x - level)
    e = np.asarray(errors)
    recent = _weights(np.arange(e.size)[::-1].astype(float), recent_half_life)
    # sd from the mean absolute error (x sqrt(pi/2)): robust to a few odd days.
    return float(np.sqrt(np.pi / 2) * np.sum(recent * np.abs(e)) / np.sum(recent))


def _profiles(y, seen, day, types, slots, n_slots, last, config: BaselineConfig,
              slot_s: float) -> np.ndarray:
    frame = pd.DataFrame({"day": day, "slot": slots, "type": types, "y": np.where(seen, y, 0.0)})
    table = frame.pivot_table(index="day", columns="slot", values="y", aggfunc="sum",
                              fill_value=0.0)
    table = table.reindex(columns=range(n_slots), fill_value=0.0)
    day_type = frame.groupby("day")["type"].first().reindex(table.index).to_numpy()
    totals = table.sum(axis=1).to_numpy()
    keep = totals > 0
    shares = table.to_numpy()[keep] / totals[keep, None]
    day_type = day_type[keep]
    age = ((last - table.index[keep]) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    w = _weights(age, config.profile_half_life_days)
    pooled = (w[:, None] * shares).sum(axis=0) / w.sum()
    profile = np.full((8, n_slots), np.nan)
    for k in range(8):
        mask = day_type == k
        if not mask.any():
            continue
        own = (w[mask, None] * shares[mask]).sum(axis=0)
        n = w[mask].sum()
        profile[k] = (own + config.profile_prior_days * pooled) / (n + config.profile_prior_days)
    if np.isnan(profile[0, 0]):
        profile[0] = pooled
    return _smooth(profile, config.profile_smooth_min * 60.0 / slot_s)


def _smooth(profile: np.ndarray, sigma_slots: float) -> np.ndarray:
    """Gaussian smoothing along the day, never spilling into closed slots."""
    if sigma_slots <= 0 or profile.shape[1] < 3:
        return profile
    half = int(np.ceil(3 * sigma_slots))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma_slots) ** 2)
    out = profile.copy()
    for k in range(profile.shape[0]):
        row = profile[k]
        if np.isnan(row[0]):
            continue
        open_ = (row > 0).astype(float)
        num = np.convolve(row, kernel, mode="same")
        den = np.convolve(open_, kernel, mode="same")
        smooth = np.where(open_ > 0, num / np.maximum(den, 1e-12), 0.0)
        out[k] = smooth / smooth.sum()
    return out


def _interval_dispersion(y, seen, day, profile, types, slots) -> float:
    """NB alpha of intervals around (actual day total x profile), by moments."""
    frame = pd.DataFrame({"day": day, "y": np.where(seen, y, 0.0)})
    total = frame.groupby("day")["y"].transform("sum").to_numpy()
    t = np.where(np.isnan(profile[types, 0]), 0, types)
    mu = total * profile[t, slots]
    ok = seen & (mu > 0)
    if ok.sum() < 10:
        return 0.0
    r = y[ok] - mu[ok]
    alpha = (np.sum(r ** 2 - mu[ok]) / np.sum(mu[ok] ** 2))
    return float(max(alpha, 0.0))
