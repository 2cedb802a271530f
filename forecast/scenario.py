"""The default scenario: a reconstruction of the 2009 *bonus elettrico* campaign.

What is known (Forum PA, 2009): the toll-free line of Acquirente Unico took about
500 calls a day before the TV campaign and about 5,700 a day over the 19 days of
12-30 April 2009 (more than 108,000 calls), when spots of the Presidency of the
Council of Ministers ran on Rai 1, Rai 2 and Rai 3; the busiest days were Monday
20 April (about 14,500) and Monday 27 April (about 12,000).

What is assumed here, and can be changed through the arguments:

* opening hours Monday-Friday 08:00-18:00, closed on weekends and national
  holidays (Easter Monday, 13 April), as in the public notices of the line;
* "calls a day" are per calendar day, so the pre-campaign 500/day are
  3,500 a week over five open days;
* a public-service intraday shape (late-morning peak, smaller early-afternoon
  peak) and weekday factors Monday 1.2 to Friday 0.8;
* a schedule of nine spots a day across the three channels (morning, lunch,
  evening slots, GRP 2-10) from Sunday 12 April, plus extra daytime airings on
  the Mondays 20 and 27 April (a new creative), and 30 % of the campaign's
  extra calls coming in the minutes right after an airing;
* a response with a fast half-life of 1 minute (direct response peaks in the
  first minute), a carry-over half-life of 2.5 days, saturation at 20 GRP per
  airing and channel strengths Rai 1 : Rai 2 : Rai 3 = 1 : 0.7 : 0.5 per GRP;
* average handling time 240 s and mean patience 120 s for staffing.

The overall response strength and the size of the Monday airings are then
calibrated so that the expected calls hit the published totals, and counts are
drawn from a negative binomial with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize

from . import schema as S
from .campaign import CampaignResponse
from .response import kernel_mass, mean_stock, saturate
from .synthetic import intraday_shape

TZ = "Europe/Rome"
PUBLISHED = {"pre_campaign_calls_per_day": 500.0, "campaign_calls_per_day": 5700.0,
             "campaign_total_calls": 108_300.0, "peak_2009_04_20": 14_500.0,
             "peak_2009_04_27": 12_000.0}
CAMPAIGN_DAYS = ("2009-04-12", "2009-04-30")
WEEKDAY_FACTORS = (1.2, 1.05, 1.0, 0.95, 0.8, 0.0, 0.0)
# (time, channel, GRP) of each day's airings.
DAILY_SLOTS = (("07:58", "Rai 1", 3.0), ("09:15", "Rai 2", 2.0), ("11:00", "Rai 3", 2.0),
               ("13:00", "Rai 2", 4.0), ("13:28", "Rai 1", 6.0), ("14:15", "Rai 3", 3.0),
               ("19:55", "Rai 3", 4.0), ("20:28", "Rai 1", 10.0), ("21:05", "Rai 2", 5.0))
# Extra daytime airings on the Mondays of a new creative (scaled by calibration).
MONDAY_EXTRA = (("09:30", "Rai 1", 6.0), ("10:45", "Rai 3", 3.0), ("11:30", "Rai 2", 4.0),
                ("15:00", "Rai 3", 3.0), ("16:30", "Rai 1", 6.0))
FAST_SHARE = 0.3  # share of the campaign's extra calls that come in the minutes after an airing
RELATIVE_STRENGTH = {"Rai 1": 1.0, "Rai 2": 0.7, "Rai 3": 0.5}


@dataclass(frozen=True)
class Scenario:
    """A ready-to-plan data set: history, spots and the settings it assumes."""

    name: str
    history: pd.DataFrame
    spots: pd.DataFrame
    settings: dict = field(default_factory=dict)
    truth: CampaignResponse | None = None
    description: str = ""


def _schedule(monday_scale: dict, digits: int | None = 2) -> pd.DataFrame:
    rows = []
    for day in pd.date_range(*CAMPAIGN_DAYS, freq="D"):
        slots = [(t, c, g) for t, c, g in DAILY_SLOTS]
        key = day.strftime("%Y-%m-%d")
        if key in monday_scale:
            slots += [(t, c, g * monday_scale[key]) for t, c, g in MONDAY_EXTRA]
        for hhmm, channel, grp in slots:
            rows.append({S.START: pd.Timestamp(f"{key} {hhmm}", tz=TZ),
                         S.CHANNEL: channel, S.GRP: grp if digits is None else round(grp, digits)})
    return pd.DataFrame(rows).sort_values(S.START, ignore_index=True)


def _baseline(index: pd.DatetimeIndex, calls_per_open_day: float, open_h: float,
              close_h: float, holidays: set) -> np.ndarray:
    hours = (index.hour + index.minute / 60).to_numpy()
    shape = intraday_shape(hours, open_h, close_h)
    day = index.normalize()
    norm = pd.Series(shape, index=index).groupby(day).transform("sum").to_numpy()
    factor = np.array(WEEKDAY_FACTORS)[index.day_of_week.to_numpy()]
    closed = np.fromiter((d in holidays for d in index.date), bool, len(index))
    per_day = calls_per_open_day * np.where(closed, 0.0, factor)
    return per_day * np.divide(shape, norm, out=np.zeros_like(shape), where=norm > 0)


def _expected(index, base, spots, response: CampaignResponse) -> np.ndarray:
    start_s = index.as_unit("ns").asi8[0] / 1e9
    step = (index[1] - index[0]).total_seconds()
    times = pd.DatetimeIndex(spots[S.START]).as_unit("ns").asi8 / 1e9
    eff = saturate(spots[S.GRP].to_numpy(float), response.saturation_grp)
    mean = base.copy()
    open_ = (base > 0).astype(float)
    for channel in RELATIVE_STRENGTH:
        w = np.where(spots[S.CHANNEL].to_numpy() == channel, eff, 0.0)
        v, beta = response.strength(channel)
        mean += v * open_ * kernel_mass(start_s, step, len(index), times, w,
                                        response.fast_half_life_min * 60)
        mean += beta * base * mean_stock(start_s, step, len(index), times, w,
                                         response.slow_half_life_days * 86400)
    return mean


def _response(calls_per_grp: float, lift_per_grp: float) -> CampaignResponse:
    return CampaignResponse(
        calls_per_grp={c: calls_per_grp * k for c, k in RELATIVE_STRENGTH.items()},
        lift_per_grp={c: lift_per_grp * k for c, k in RELATIVE_STRENGTH.items()},
        fast_half_life_min=1.0, slow_half_life_days=2.5, saturation_grp=20.0)


@lru_cache(maxsize=4)
def bonus_elettrico_2009(*, seed: int = 2009, interval_min: int = 5,
                         history_start: str = "2009-03-02", open_h: float = 8.0,
                         close_h: float = 18.0, dispersion: float = 0.02) -> Scenario:
    """Build the 2009 scenario (deterministic for a given seed; cached).

    Parameters
    ----------
    seed : int
        Seed of the count noise.
    interval_min : int
        Resolution of the history, minutes (5 shows the spike after each airing).
    history_start : str
        First day of the history; it runs to 30 April 2009.
    open_h, close_h : float
        Opening hours on weekdays (local time).
    dispersion : float
        Negative binomial over-dispersion of 5-minute counts.

    Returns
    -------
    Scenario
        ``history`` (calls per interval), ``spots`` (171 daily airings plus the Monday ones),
        ``settings`` (the assumptions above) and ``truth`` (the response used).
    """
    import holidays as holidays_lib

    index = pd.date_range(history_start, "2009-05-01", freq=f"{interval_min}min", tz=TZ,
                          inclusive="left", name=S.INDEX)
    hol = set(holidays_lib.country_holidays("IT", years=[2009]).keys())
    open_days_per_week = sum(f > 0 for f in WEEKDAY_FACTORS)
    per_open_day = PUBLISHED["pre_campaign_calls_per_day"] * 7 / open_days_per_week
    base = _baseline(index, per_open_day, open_h, close_h, hol)
    day = index.normalize()
    campaign = (day >= pd.Timestamp(CAMPAIGN_DAYS[0], tz=TZ)) & (
        day <= pd.Timestamp(CAMPAIGN_DAYS[1], tz=TZ))
    d20 = day == pd.Timestamp("2009-04-20", tz=TZ)
    d27 = day == pd.Timestamp("2009-04-27", tz=TZ)

    def expected(p, digits=None):  # unrounded GRP while calibrating: smooth in p
        spots = _schedule({"2009-04-20": p[2], "2009-04-27": p[3]}, digits)
        fast_only = _expected(index, base, spots, _response(p[0], 0.0))
        return _expected(index, base, spots, _response(p[0], p[1])), fast_only, spots

    def gaps(p):
        mean, fast_only, _ = expected(p)
        extra = mean[campaign].sum() - base[campaign].sum()
        return [np.log(mean[campaign].sum() / PUBLISHED["campaign_total_calls"]),
                np.log(mean[d20].sum() / PUBLISHED["peak_2009_04_20"]),
                np.log(mean[d27].sum() / PUBLISHED["peak_2009_04_27"]),
                (fast_only[campaign].sum() - base[campaign].sum()) / extra - FAST_SHARE]

    fit = optimize.least_squares(gaps, x0=[20.0, 0.3, 1.0, 1.0],
                                 bounds=([0, 0, 0, 0], [1e4, 100, 20.0, 20.0]))
    p = fit.x
    mean, _, spots = expected(p, digits=2)
    rng = np.random.default_rng(seed)
    n = 1.0 / dispersion
    calls = rng.poisson(rng.gamma(n, mean / n))
    history = pd.DataFrame({S.CALLS: calls}, index=index)
    settings = {"opening_hours": f"Monday-Friday {open_h:02.0f}:00-{close_h:02.0f}:00, "
                                 "closed on weekends and national holidays",
                "interval_min": interval_min, "aht_s": 240.0, "patience_s": 120.0,
                "tz": TZ, "country": "IT", "campaign_days": CAMPAIGN_DAYS,
                "published": dict(PUBLISHED),
                "calibration": {"calls_per_grp_rai1": float(p[0]),
                                "lift_per_grp_rai1": float(p[1]),
                                "monday_extra_scale_2009_04_20": float(p[2]),
                                "monday_extra_scale_2009_04_27": float(p[3]),
                                "fast_share_of_extra_calls": FAST_SHARE}}
    return Scenario(name="bonus_elettrico_2009", history=history, spots=spots,
                    settings=settings, truth=_response(p[0], p[1]),
                    description=(__doc__ or "").strip())


SCENARIOS = {"bonus_elettrico_2009": bonus_elettrico_2009}


def load_scenario(name: str = "bonus_elettrico_2009") -> Scenario:
    """Load an embedded scenario by name.

    Examples
    --------
    >>> sc = load_scenario("bonus_elettrico_2009")
    >>> sorted(sc.spots["channel"].unique())
    ['Rai 1', 'Rai 2', 'Rai 3']
    """
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; available: {', '.join(SCENARIOS)}")
    return SCENARIOS[name]()
