"""The interval grid: checks of a history's index, interval ends, and times in seconds.

A history and a forecast window are regular grids of interval starts: a fixed step
(a minute to a day), or local calendar days, which last 23 or 25 hours across a clock
change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tabular.days import day_starts, local_date, local_dates

from . import schema as S
from .history_checks import check_one_step


def localize_wall_clock(index: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    """Naive wall-clock interval starts as times of ``tz``.

    The repeated hour of the autumn clock change is told apart by its order when both
    copies are logged. Many exports log it once (one row per wall-clock hour): then that
    row is read as the first, summer-time copy, and the second hour is a gap, left
    missing rather than invented. Times skipped in spring move forward.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2014-10-26 01:00", "2014-10-26 02:00", "2014-10-26 03:00"])
    >>> [str(t) for t in localize_wall_clock(idx, "Europe/Warsaw")]
    ['2014-10-26 01:00:00+02:00', '2014-10-26 02:00:00+02:00', '2014-10-26 03:00:00+01:00']
    """
    try:
        return index.tz_localize(tz, ambiguous="infer", nonexistent="shift_forward")
    except ValueError:  # the repeated hour logged once: cannot be inferred from order
        return index.tz_localize(tz, ambiguous=np.ones(len(index), bool),
                                 nonexistent="shift_forward")


def history_series(history: pd.DataFrame, tz: str) -> pd.Series:
    """The calls of a history on its full regular grid, in zone ``tz``.

    Parameters
    ----------
    history : DataFrame
        The history contract: ``calls`` on a ``DatetimeIndex`` of interval starts. Naive
        timestamps are read in ``tz``; aware ones are converted to it.
    tz : str
        IANA time zone of the result.

    Returns
    -------
    Series
        Calls per interval on every interval start from the first to the last; NaN for
        the intervals the history does not list.

    Raises
    ------
    ValueError
        If ``history`` is not such a frame, has fewer than two intervals, is unsorted or
        repeats an interval, has calls that are text, negative or infinite, is off a
        regular grid of 1 minute to 1 day, or
        changes its step midway (`forecast.history_checks.check_one_step`).
    """
    if not isinstance(history, pd.DataFrame) or S.CALLS not in history.columns:
        raise ValueError("history must be a DataFrame with a 'calls' column on a DatetimeIndex")
    if not isinstance(history.index, pd.DatetimeIndex):
        raise ValueError(f"history index must be a DatetimeIndex of interval starts, got "
                         f"{type(history.index).__name__}")
    if len(history) < 2:
        raise ValueError(f"history has {len(history)} row(s); at least two intervals are needed")
    idx = history.index
    idx = localize_wall_clock(idx, tz) if idx.tz is None else idx.tz_convert(tz)
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise ValueError("history index must be sorted, without repeated interval starts")
    check_one_step(idx)
    raw = history[S.CALLS]
    calls = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    cells = raw[np.isnan(calls)]
    text = np.flatnonzero(np.isnan(calls))[(cells.notna() & (cells.astype(str).str.strip() != ""))
                                           .to_numpy()]
    if text.size:  # blank is an interval not logged; text is a mistake, not a gap
        i = int(text[0])
        raise ValueError(f"history calls must be numbers (blank: not logged), got "
                         f"{raw.iloc[i]!r} at {idx[i]}")
    bad = (calls < 0) | np.isinf(calls)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"history calls must be >= 0, got {calls[i]:g} at {idx[i]}")
    step = pd.Series(idx[1:] - idx[:-1]).mode().iloc[0]
    if not pd.Timedelta(minutes=1) <= step <= pd.Timedelta(hours=25):  # a day across DST
        raise ValueError(f"history step must be from 1min to 1D, got {step} (totals over "
                         "longer spans cannot be split into days and hours)")
    freq: pd.Timedelta | str = step
    if step >= pd.Timedelta(hours=23) and _day_starts_only(idx):
        freq = "1D"
        # local calendar days: 23 or 25 hours across a clock change, some without a midnight
        full = day_starts(pd.date_range(local_date(idx[0]), local_date(idx[-1]), freq="D"),
                          idx.tz).rename(S.INDEX)
    else:
        full = pd.date_range(idx[0], idx[-1], freq=freq, name=S.INDEX)
    if not idx.isin(full).all():
        raise ValueError(f"history intervals are not on one regular grid of {freq}")
    return pd.Series(calls, index=idx).reindex(full)


def interval_ends(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Ends of regular intervals: a fixed duration, or local calendar days across DST.

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts.

    Returns
    -------
    DatetimeIndex
        The end of each interval (the start of the next, and one step after the last).

    Raises
    ------
    ValueError
        If the starts are not one step apart (or local days).
    """
    steps = np.diff(index.as_unit("ns").asi8)
    if steps.size and steps[0] > 0 and (steps == steps[0]).all():
        return index + pd.Timedelta(int(steps[0]), unit="ns")
    if _day_starts_only(index):  # local days across DST
        days = day_starts(local_dates(index) + pd.Timedelta(days=1), index.tz)
        if (days[:-1] == index[1:]).all():
            return days
    raise ValueError("index must be regular: one step between interval starts (or local days)")


def _day_starts_only(index: pd.DatetimeIndex) -> bool:
    return bool((day_starts(local_dates(index), index.tz) == index).all())


def unix_s(index: pd.DatetimeIndex) -> np.ndarray:
    """Seconds since 1970 UTC (pandas may store times in s, ms, us or ns).

    Naive times are read as UTC.
    """
    idx = index if index.tz is not None else index.tz_localize("UTC")
    return idx.as_unit("ns").asi8 / 1e9
