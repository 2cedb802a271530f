"""Synthetic call histories with a known campaign response (ground truth for tests).

The generator is written from the model's definition, not from its code paths:
a baseline (weekly level, intraday profile, opening hours), airings on several
channels with random GRP, the fast and slow responses of `forecast.response`,
and negative binomial counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema as S
from .campaign import CampaignResponse, carryover_base
from .response import delayed_mass, mean_stock, saturate

DAY_FACTORS = (1.25, 1.1, 1.0, 0.95, 0.9, 0.6, 0.0)  # Monday ... Sunday (closed)


@dataclass(frozen=True)
class SyntheticCampaign:
    """A generated history with the truth behind it."""

    history: pd.DataFrame
    spots: pd.DataFrame
    truth: CampaignResponse
    expected: pd.Series  # the true mean of every interval
    baseline: pd.Series  # the true baseline of every interval


def intraday_shape(hours: np.ndarray, open_h: float, close_h: float) -> np.ndarray:
    """A typical two-hump call-centre day (late morning and early afternoon), 0 when closed."""
    inside = (hours >= open_h) & (hours < close_h)
    shape = 0.6 + np.exp(-0.5 * ((hours - 10.5) / 1.5) ** 2) + 0.8 * np.exp(
        -0.5 * ((hours - 15.0) / 1.8) ** 2)
    return np.where(inside, shape, 0.0)


def make_campaign(*, days: int = 56, seed: int = 0, interval_min: int = 5,
                  start: str = "2024-01-08", daily_calls: float = 2000.0,
                  campaign_from_day: int = 28, spots_per_day: int = 8,
                  truth: CampaignResponse | None = None, dispersion: float = 0.02,
                  open_h: float = 8.0, close_h: float = 20.0, level_drift: float = 0.0,
                  tz: str = "Europe/Rome") -> SyntheticCampaign:
    """Generate ``days`` of history whose last part carries a TV campaign.

    Spots air from day ``campaign_from_day`` on, between 07:00 and 23:00, on three
    channels with GRP drawn from a log-normal around 5; the number per day varies
    (0, half, once or twice ``spots_per_day``), as flighted campaigns do.

    Examples
    --------
    >>> sc = make_campaign(days=14, campaign_from_day=7, seed=3)
    >>> sc.history.index.freqstr, len(sc.spots) > 0
    ('5min', True)
    """
    rng = np.random.default_rng(seed)
    truth = truth or CampaignResponse(
        calls_per_grp={"Rai 1": 30.0, "Rai 2": 18.0, "Rai 3": 10.0},
        lift_per_grp={"Rai 1": 0.02, "Rai 2": 0.012, "Rai 3": 0.008},
        fast_half_life_min=1.5, slow_half_life_days=2.0, saturation_grp=float("inf"))
    index = pd.date_range(start, periods=days * 24 * 60 // interval_min,
                          freq=f"{interval_min}min", tz=tz, name=S.INDEX)
    hours = (index.hour + index.minute / 60).to_numpy()
    shape = intraday_shape(hours, open_h, close_h)
    day = index.normalize()
    day_factor = np.array(DAY_FACTORS)[index.day_of_week.to_numpy()]
    norm = pd.Series(shape, index=index).groupby(day).transform("sum").to_numpy()
    drift = 1.0 + level_drift * np.sin(np.arange(len(index)) / len(index) * np.pi)
    spread = drift * np.divide(shape, norm, out=np.zeros_like(shape), where=norm > 0)
    baseline = daily_calls * day_factor * spread
    flat = daily_calls * (day_factor > 0) * spread  # what an additive carry-over spreads

    channels = list(truth.calls_per_grp)
    rows = []
    for d in range(campaign_from_day, days):
        t0 = pd.Timestamp(start, tz=tz) + pd.Timedelta(days=d)
        # Flighting: heavier and lighter days, so that the carry-over shows in the data.
        count = rng.poisson(spots_per_day * rng.choice([0.0, 0.5, 1.0, 2.0]))
        minutes = np.sort(rng.uniform(7 * 60, 23 * 60, count))
        for m in minutes:
            rows.append({S.START: (t0 + pd.Timedelta(minutes=float(m))).floor("s"),
                         S.CHANNEL: channels[rng.integers(len(channels))],
                         S.GRP: float(np.round(rng.lognormal(np.log(5.0), 0.6), 2))})
    spots = pd.DataFrame(rows, columns=[S.START, S.CHANNEL, S.GRP])
    start_s = index.as_unit("ns").asi8[0] / 1e9
    interval_s = interval_min * 60.0
    times = pd.DatetimeIndex(spots[S.START]).as_unit("ns").asi8 / 1e9 if len(spots) else np.zeros(0)
    eff = saturate(spots[S.GRP].to_numpy(float), truth.saturation_grp)
    open_ = (baseline > 0).astype(float)
    mean = baseline.copy()
    for ch in channels:
        w = np.where(spots[S.CHANNEL].to_numpy() == ch, eff, 0.0) if len(spots) else eff
        v, beta = truth.strength(ch)
        mean += v * open_ * delayed_mass(start_s, interval_s, len(index), times, w,
                                         truth.fast_half_life_min * 60, truth.fast_rise_min * 60)
        mean += beta * carryover_base(baseline, flat, truth.carryover_mix) * mean_stock(
            start_s, interval_s, len(index), times, w, truth.slow_half_life_days * 86400)
    n = 1.0 / dispersion
    lam = rng.gamma(n, mean / n, size=mean.size) if dispersion > 0 else mean
    calls = rng.poisson(lam)
    history = pd.DataFrame({S.CALLS: calls}, index=index)
    return SyntheticCampaign(history=history, spots=spots, truth=truth,
                             expected=pd.Series(mean, index=index),
                             baseline=pd.Series(baseline, index=index))
