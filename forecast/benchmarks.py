"""The simple forecasts a planner would make in a spreadsheet, which picco must beat.

* the seasonal naive: the same weekday and time in the latest week known;
* the 4-week weekday average: the mean of the same weekday and time over the last
  four weeks known;
* last year scaled: the same weekday and time 52 weeks before, times the growth of
  the last four weeks over the same four weeks a year before (the usual benchmark of
  a line with a yearly season, planned a quarter ahead).

All read the history on the wall clock, as a spreadsheet does across a clock change.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

YEAR_DAYS = 364  # 52 weeks: the same weekday a year before
GROWTH_WEEKS = 4


def same_weekday(series: pd.Series, index: pd.DatetimeIndex, before, weeks: int = 4) -> list:
    """Values of ``series`` at the same weekday and wall-clock time, ``weeks`` weeks of them.

    The planner's spreadsheet copies the last weeks known at ``before`` forward: a target
    in the first week after ``before`` reads 1 .. ``weeks`` weeks back, one in the second
    week 2 .. ``weeks + 1``, and so on, so every target has ``weeks`` known weeks. Times
    are matched on the wall clock, as a spreadsheet does across a clock change (the
    repeated hour of autumn reads its first pass).

    Examples
    --------
    Known up to 21 January, Mondays 22 and 29 January both copy the last two Mondays:

    >>> s = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2024-01-01", periods=3, freq="7D"))
    >>> [a.tolist() for a in same_weekday(s, pd.DatetimeIndex(["2024-01-22", "2024-01-29"]),
    ...                                   pd.Timestamp("2024-01-22"), weeks=2)]
    [[3.0, 3.0], [2.0, 2.0]]
    """
    if not len(index):
        return []
    local = _wall_clock(pd.DatetimeIndex(series.index))
    values = pd.Series(series.to_numpy(), index=local)
    values = values[~local.duplicated()]
    targets = _wall_clock(index)
    # Weeks on the wall clock: a target k weeks after a midnight origin across the spring
    # change is k weeks less an hour in absolute time, and would read the origin's own day.
    before = pd.Timestamp(before)
    if before.tz is not None and index.tz is not None:
        before = before.tz_convert(index.tz)
    ahead = np.asarray((targets - _wall_clock(pd.DatetimeIndex([before]))[0])
                       / pd.Timedelta(weeks=1), float)
    first = np.floor(np.maximum(ahead, 0.0)).astype(np.int64) + 1  # the latest known week
    return [values.reindex(targets - pd.to_timedelta(7 * (first + k), unit="D")).to_numpy()
            for k in range(weeks)]


def _wall_clock(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return index.tz_localize(None) if index.tz is not None else index


def weekday_average(series: pd.Series, index: pd.DatetimeIndex, before, weeks: int = 4) -> np.ndarray:
    """The planner's spreadsheet: the mean of the same weekday and time over the last weeks.

    Examples
    --------
    >>> s = pd.Series([10.0, 20.0, 30.0], index=pd.date_range("2024-01-01", periods=3, freq="7D"))
    >>> weekday_average(s, pd.DatetimeIndex(["2024-01-22"]), pd.Timestamp("2024-01-22")).tolist()
    [20.0]
    """
    shifted = same_weekday(series, index, before, weeks)
    if not shifted:
        return np.full(len(index), np.nan)
    with warnings.catch_warnings():  # a time with no earlier week is simply NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.vstack(shifted), axis=0)


def last_year_scaled(series: pd.Series, index: pd.DatetimeIndex, before,
                     weeks: int = GROWTH_WEEKS) -> np.ndarray:
    """Last year's same weekday and time, scaled by the growth of the last ``weeks`` weeks.

    The growth is the calls of the ``weeks`` weeks before ``before`` over those of the
    same intervals 52 weeks earlier (intervals recorded in both). A target more than a
    year after ``before`` reads the latest year known and the growth once per year.
    NaN where that year is not in ``series``, and everywhere when less than half of
    the recent intervals have a counterpart a year before.

    Examples
    --------
    A line 10 % busier than a year before; last year's Monday was 100:

    >>> idx = pd.date_range("2023-01-02", "2024-01-28", freq="D")
    >>> s = pd.Series(np.where(idx >= "2023-12-04", 110.0, 100.0), index=idx)
    >>> last_year_scaled(s, pd.DatetimeIndex(["2024-01-29"]), pd.Timestamp("2024-01-29")).round(6)
    array([110.])
    """
    out = np.full(len(index), np.nan)
    if not len(index) or not len(series):
        return out
    local = _wall_clock(pd.DatetimeIndex(series.index))
    values = pd.Series(series.to_numpy(dtype=float), index=local)
    values = values[~local.duplicated()]
    cut = _wall_clock(pd.DatetimeIndex([pd.Timestamp(before)]))[0]
    recent = values[(values.index >= cut - pd.Timedelta(weeks=weeks)) & (values.index < cut)]
    recent = recent.dropna()
    year = pd.Timedelta(days=YEAR_DAYS)
    earlier = values.reindex(recent.index - year).to_numpy()
    paired = np.isfinite(earlier)
    if not recent.size or paired.sum() < 0.5 * recent.size or earlier[paired].sum() <= 0:
        return out
    growth = recent.to_numpy()[paired].sum() / earlier[paired].sum()
    targets = _wall_clock(index)
    years = np.floor(np.maximum(np.asarray((targets - cut) / year, float), 0.0)).astype(np.int64) + 1
    base = values.reindex(targets - pd.to_timedelta(YEAR_DAYS * years, unit="D")).to_numpy()
    return base * growth ** years
