"""Does reading the spots beat ignoring them, out of sample? A rolling-origin check.

The fit keeps a campaign response only when, at the last few origins of the spot-bearing
history, the model that reads the spots forecasts the next days better than the same
model blind to them. Each origin refits both on the history before it: the blind one
from scratch, the spot-aware one with the full fit's shapes and selection (its
strengths re-estimated), so that a response that stands in for a trend or a level
shift, or that fits noise, is caught where it would hurt: in the forecast.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

from tabular.days import day_start, day_starts, local_date, local_dates

from . import schema as S
from .effects import newey_west

FOLDS = 3
MAX_HORIZON_DAYS = 28
KEEP_LEVEL = 0.10  # one-sided level of the paired test the spot-aware forecast must pass
MIN_TEST_DAYS = 10  # fewer days checked: the test has no power, the WAPEs alone decide
# An origin needs two weeks of history before it: a refit on ten days of a line that airs
# every day could not tell its weekdays from its response, and lost by 20 % on a rehearsal
# direct-response line whose response two later origins confirmed (and a week ahead gained 9 %).
MIN_HISTORY_DAYS = 14
MAX_DAY_SD = 1.5  # the most a day's campaign calls are taken to stray (a saved model: < 2)
MIN_HOURS = 10  # campaign hours (days on a daily line) the straying needs to be measured
SD_PRIOR_BUCKETS = 14  # the straying measured is pooled with none, as if over this many hours
MIN_CAMPAIGN_SHARE = 0.05  # hours whose campaign calls are under this share of the forecast


def rolling_origins(first_spot: pd.Timestamp, end: pd.Timestamp, folds: int = FOLDS,
                    max_horizon_days: int = MAX_HORIZON_DAYS,
                    start: pd.Timestamp | None = None) -> tuple[list, int]:
    """Origins (midnights) and horizon in days for the check; none when too short.

    The horizon is a quarter of the days from the first airing to the end of the history,
    between 1 and ``max_horizon_days``; origins step back from the end by one horizon and
    leave at least two days of airings before the earliest, and `MIN_HISTORY_DAYS` of
    history from ``start`` (the history's first interval).

    Examples
    --------
    >>> o, h = rolling_origins(pd.Timestamp("2009-04-12"), pd.Timestamp("2009-05-01"))
    >>> [str(x.date()) for x in o], h
    (['2009-04-27', '2009-04-23', '2009-04-19'], 4)
    """
    first_day, end_day = local_date(first_spot), local_date(end)
    span = int((end_day - first_day).days)
    horizon = int(np.clip(span // 4, 1, max_horizon_days))
    dates = [end_day - pd.Timedelta(days=k * horizon) for k in range(1, folds + 1)]
    dates = [d for d in dates if (d - first_day).days >= 2]
    if start is not None:
        dates = [d for d in dates if (d - local_date(start)).days >= MIN_HISTORY_DAYS]
    return [day_start(d, pd.Timestamp(end).tz) for d in dates], horizon


def campaign_check(series: pd.Series, spots: pd.DataFrame, aware: Callable, blind: Callable,
                   end: pd.Timestamp) -> dict:
    """WAPE of the spot-aware and the spot-blind forecasts over rolling origins.

    Parameters
    ----------
    series : Series
        Calls on the model's regular grid (NaN where unknown).
    spots : DataFrame
        Validated spots of the history.
    aware, blind : callable
        ``aware(history_frame, spots)`` and ``blind(history_frame)`` return fitted models
        with a ``predict(index, spots, quantiles=())`` method.
    end : Timestamp
        End of the history (exclusive).

    Returns
    -------
    dict
        ``origins``, ``horizon_days``, ``wape_with_spots``, ``wape_without_spots`` (NaN
        when there was no origin to check).
    """
    origins, horizon = rolling_origins(spots[S.START].min(), end,
                                       start=series.first_valid_index())
    err_aware = err_blind = total = 0.0
    used, gains, hours = [], [], []
    for origin in origins:
        stop = day_start(local_date(origin) + pd.Timedelta(days=horizon), origin.tz)
        past = series[series.index < origin]
        window = series[(series.index >= origin) & (series.index < stop)]
        if past.notna().sum() < 2 or window.notna().sum() < 1 or len(window) < 2:
            continue
        try:
            with_spots = aware(past.to_frame(S.CALLS), spots[spots[S.START] < origin])
            without = blind(past.to_frame(S.CALLS))
        except ValueError:  # too little history before this origin to fit on
            continue
        plan = spots[(spots[S.START] >= origin) & (spots[S.START] < stop)]
        index = pd.DatetimeIndex(window.index)
        pa = with_spots.predict(index, plan, quantiles=())[S.MEAN].to_numpy()
        pb = without.predict(index, None, quantiles=())[S.MEAN].to_numpy()
        y = window.to_numpy()
        ok = np.isfinite(y)
        err_aware += float(np.abs(pa[ok] - y[ok]).sum())
        err_blind += float(np.abs(pb[ok] - y[ok]).sum())
        total += float(y[ok].sum())
        used.append(str(origin.date()))
        day = local_dates(index)[ok]
        gain = pd.Series(np.abs(pb[ok] - y[ok]) - np.abs(pa[ok] - y[ok])).groupby(day).sum()
        gains.append(gain.to_numpy())
        hours.append(_hour_errors(with_spots, window, plan))
    if not used or total <= 0:
        return {"origins": used, "horizon_days": horizon, "wape_with_spots": float("nan"),
                "wape_without_spots": float("nan"), "p_value": float("nan"), "day_rel_sd": 0.0}
    # Origins step back from the end: put the days in time order for the autocorrelation.
    p = paired_p_value(np.concatenate(gains[::-1]))
    return {"origins": used, "horizon_days": horizon, "wape_with_spots": err_aware / total,
            "wape_without_spots": err_blind / total, "p_value": p,
            "day_rel_sd": day_rel_sd(np.concatenate(hours))}


def _hour_errors(model, window: pd.Series, plan: pd.DataFrame) -> np.ndarray:
    """Calls, forecast mean, its sd and fast² + carry-over², per hour of ``window``.

    Per day on a daily line; an hour with an interval not recorded has NaN calls.
    """
    index = pd.DatetimeIndex(window.index)
    step = index[1] - index[0]
    if step >= pd.Timedelta(hours=23):
        buckets = index.append(day_starts(local_dates(index[-1:]) + pd.Timedelta(days=1), index.tz))
        y = window.to_numpy()
    else:
        width = max(step, pd.Timedelta(hours=1))
        buckets = pd.date_range(index[0], index[-1] + step, freq=width, inclusive="left")
        buckets = buckets.append(buckets[-1:] + width)
        where = np.searchsorted(buckets.asi8, index.asi8, side="right") - 1
        y = pd.Series(window.to_numpy()).groupby(where).sum(min_count=int(width / step)) \
            .reindex(range(len(buckets) - 1)).to_numpy()
    fc = model.predict(buckets, plan, quantiles=(0.1, 0.9)).iloc[:-1]
    parts = model.decompose(buckets, plan).iloc[:-1]
    fast = parts.filter(like="fast:").sum(axis=1).to_numpy()
    slow = parts.filter(like="slow:").sum(axis=1).to_numpy()
    sd = (fc["p90"] - fc["p10"]).to_numpy() / (2 * stats.norm.isf(0.1))
    return np.column_stack([y, fc["mean"].to_numpy(), sd, fast ** 2 + slow ** 2])


def day_rel_sd(rows: np.ndarray) -> float:
    """How much a day's campaign calls stray from the fit, relative, as the check saw them.

    ``rows``: per hour checked (per day on a daily line), calls, forecast mean, its sd and
    the campaign's fast² + carry-over². The hours the campaign touched should have 80 % of
    their errors within 1.28 sd; where they have fewer, the sd is widened by a relative sd
    ``s`` of the campaign's calls (``sd² + s² (fast² + carry-over²)``) until they do.
    Checked by the hour, because a carry-over split wrongly between channels misplaces
    calls within days whose totals come out right. Hours where the campaign is under
    `MIN_CAMPAIGN_SHARE` of the forecast measure how much the check's refits err anyway,
    and that much is not the campaign's. ``s`` is then pooled with 0 as if that were
    `SD_PRIOR_BUCKETS` hours of evidence; 0 under `MIN_HOURS` campaign hours.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> camp = np.full(200, 500.0)
    >>> y = 1000 + camp * rng.normal(1, 0.3, 200) + rng.normal(0, 20, 200)
    >>> rows = np.column_stack([y, np.full(200, 1500.0), np.full(200, 20.0), camp ** 2])
    >>> round(day_rel_sd(rows), 2)
    0.29
    """
    rows = np.asarray(rows, float).reshape(-1, 4)
    y, mean, sd, unit = rows.T
    z80 = stats.norm.isf(0.1)
    ok = np.isfinite(rows).all(axis=1) & (sd > 0) & (mean > 0)
    keep = ok & (np.sqrt(unit) >= MIN_CAMPAIGN_SHARE * mean)
    if keep.sum() < MIN_HOURS:
        return 0.0
    # The check's refits saw less history than the final model: where they also erred
    # beyond their bands on hours the campaign hardly touched, that much is not the
    # campaign's.
    plain = ok & ~keep
    refit = 1.0
    if plain.sum() >= MIN_HOURS:
        refit = max(1.0, float(np.quantile(np.abs(y - mean)[plain] / sd[plain], 0.8)) / z80)
    err, sd, unit = np.abs(y - mean)[keep], refit * sd[keep], unit[keep]

    def spread(s):
        return float(np.quantile(err / np.sqrt(sd ** 2 + s ** 2 * unit), 0.8))

    if spread(0.0) <= z80:
        return 0.0
    low, high = 0.0, MAX_DAY_SD
    if spread(high) > z80:
        return MAX_DAY_SD
    for _ in range(40):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if spread(mid) > z80 else (low, mid)
    n = int(keep.sum())
    return float(np.sqrt(high ** 2 * n / (n + SD_PRIOR_BUCKETS)))


def paired_p_value(gain: np.ndarray) -> float:
    """One-sided p-value that the mean daily gain is zero, against it being positive.

    The Diebold-Mariano test (1995) on the days' absolute-error differences (blind less
    spot-aware), with a Newey-West variance (Bartlett weights, ``floor(4 (n/100)^(2/9))``
    lags) because a day's error is shared with its neighbours, and Student's t with
    ``n - 1`` degrees of freedom (Harvey, Leybourne and Newbold 1997) because the check has
    few days. A spot-aware forecast that wins by a hair is not evidence; the fit keeps
    it only below ``KEEP_LEVEL``. NaN under ``MIN_TEST_DAYS`` days.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(paired_p_value(rng.normal(0.0, 1.0, 60)), 2), paired_p_value(rng.normal(2, 1, 60)) < 1e-6
    (0.3, True)

    Under ``MIN_TEST_DAYS`` days the test could not tell a 40 % gain from chance:

    >>> paired_p_value(np.array([1.0, 3.0, 0.5]))
    nan
    """
    d = np.asarray(gain, float)
    n = d.size
    if n < MIN_TEST_DAYS:
        return float("nan")
    var = float(newey_west(d - d.mean(), int(4 * (n / 100) ** (2 / 9)))[0, 0]) / n
    if var <= 0:
        return 0.0 if d.mean() > 0 else 1.0
    return float(stats.t.sf(d.mean() / np.sqrt(var / n), n - 1))
