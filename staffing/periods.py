"""Planning periods on the local wall clock: which period each volume interval falls in.

A period starts where a clock on the wall of the call centre shows a multiple of the period
counted from midnight: days at local midnight, hours on the hour in Asia/Kolkata (UTC+05:30),
2-hour blocks at even hours in summer and in winter. Flooring UTC timestamps instead puts
those boundaries at the zone's offset (a day from 02:00 in Rome in summer).

On the night the clocks change, a period keeps its wall-clock start: the repeated autumn
hour gives two periods labelled with the same clock time and different offsets, and a
period whose start the spring change skips starts when the clock resumes. Such a period
is shorter or longer than the others; `period_spans` gives each one's real length.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_DAY_S = 86_400.0
_MAX_SHIFT = pd.Timedelta(hours=2)  # the largest clock change in the tz database (double summer time)


def period_seconds(period, interval_s: float) -> float:
    """Length of the planning period in seconds, checked against the volume interval.

    Parameters
    ----------
    period : str or None
        A duration such as ``"15min"``, ``"1h"``, ``"2h"`` or ``"1D"``; ``None`` means the
        volume interval itself.
    interval_s : float
        The volume frame's interval, seconds.

    Raises
    ------
    ValueError
        If ``period`` is not a positive duration, does not divide one day into whole
        periods, or is not a whole number of volume intervals.

    Examples
    --------
    >>> period_seconds("1h", 900.0), period_seconds(None, 86_400.0)
    (3600.0, 86400.0)
    >>> period_seconds("15min", 420.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: period '15min' is not a whole number of the volume's 7-min intervals; ...
    """
    shown = repr(period) if period is not None else f"(the volume interval, {_minutes(interval_s)})"
    if period is None:
        period_s = interval_s
    else:
        try:
            period_s = pd.Timedelta(period).total_seconds()
        except (TypeError, ValueError):
            raise ValueError(f"period must be a duration such as '15min', '1h' or '1D', "
                             f"got {period!r}") from None
        if not period_s > 0:
            raise ValueError(f"period must be longer than 0, got {period!r}")
    if period_s % interval_s:
        raise ValueError(f"period {shown} is not a whole number of the volume's "
                         f"{_minutes(interval_s)} intervals; use a multiple of them that "
                         "divides one day, or resample the volume")
    if period_s > _DAY_S or _DAY_S % period_s:
        raise ValueError(f"period {shown} must divide one day into whole periods (e.g. 15min, "
                         "1h, 2h, 1D): periods start at local midnight")
    return float(period_s)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g}-min" if seconds < 3600 or seconds % 3600 else f"{seconds / 3600:g}-h"


def period_keys(index: pd.DatetimeIndex, period_s: float) -> pd.DatetimeIndex:
    """Start of the planning period of each timestamp, on the local wall clock.

    The start is the latest instant at or before the timestamp whose wall-clock time is a
    multiple of ``period_s`` from midnight (a start the spring change skips moves to the
    instant the clock resumes).

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2009-05-04 08:00", "2009-05-04 08:40"], tz="Asia/Kolkata")
    >>> [str(t) for t in period_keys(idx, 3600)]
    ['2009-05-04 08:00:00+05:30', '2009-05-04 08:00:00+05:30']
    >>> day = pd.DatetimeIndex(["2009-05-04 00:00"], tz="Europe/Rome")
    >>> str(period_keys(day, 86_400)[0])
    '2009-05-04 00:00:00+02:00'
    """
    step = pd.Timedelta(seconds=period_s)
    if index.tz is None:
        return index.floor(step)
    wall = index.tz_localize(None).floor(step)
    flags = np.ones(len(index), dtype=bool)
    first = wall.tz_localize(index.tz, ambiguous=flags, nonexistent="NaT")
    second = wall.tz_localize(index.tz, ambiguous=~flags, nonexistent="NaT")
    # Of the two instants of a repeated autumn time, take the later one if it has already
    # come: the second 02:00 starts its own period, like any other hour.
    keys = first.where(~(second <= index), second)
    # Where the clocks went back by more than the time into the period (St John's changed at
    # 00:01), a later wall-clock start has already come: it is the period's start.
    back = np.flatnonzero(_utc_offsets(index - step - _MAX_SHIFT) > _utc_offsets(index))
    if back.size:
        keys = _latest_start(index, wall, keys, back, step)
    skipped = np.asarray(keys.isna())
    if skipped.any():  # the period's wall-clock start is in a spring gap
        utc = keys.tz_convert("UTC").tz_localize(None).to_numpy().copy()
        for start in pd.unique(wall[skipped]):
            resumes = _clock_resumes(start, index.tz).tz_convert("UTC").tz_localize(None)
            utc[skipped & (wall == start)] = resumes.to_datetime64()
        keys = pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert(index.tz)
    return keys.rename(index.name)


def _latest_start(index, wall, keys, rows, step) -> pd.DatetimeIndex:
    """``keys`` with, at ``rows``, the latest later wall-clock start that has already come."""
    at, best = index[rows], keys[rows]
    for k in range(1, int(np.ceil(_MAX_SHIFT / step)) + 1):
        later = wall[rows] + k * step
        for flag in (True, False):
            start = later.tz_localize(index.tz, ambiguous=np.full(len(rows), flag),
                                      nonexistent="NaT")
            take = np.asarray((start <= at) & ((start > best) | best.isna()))
            best = best.where(~take, start)
    utc = keys.tz_convert("UTC").tz_localize(None).to_numpy().copy()
    utc[rows] = best.tz_convert("UTC").tz_localize(None).to_numpy()
    return pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert(index.tz)


def _clock_resumes(wall: pd.Timestamp, tz) -> pd.Timestamp:
    """First instant after a wall-clock time that a clock change skipped."""
    # Not pandas' ``nonexistent="shift_forward"``: it assumes the gap ends on the hour and
    # put St John's 00:01 change (2009) at 02:00, after the calls it should label.
    minutes = pd.date_range(wall, wall + pd.Timedelta(hours=25), freq="1min")
    local = minutes.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    return local[~local.isna()][0]


def period_spans(keys: pd.DatetimeIndex, periods: pd.DatetimeIndex,
                 interval_s: float) -> np.ndarray:
    """Real length, in seconds, of each period: its volume intervals times their length.

    A period cut by the start or end of the volume, or by a change of the clocks, counts
    only the time it covers, so its load is the calls over that time.
    """
    pos = periods.get_indexer(keys)
    return np.bincount(pos, minlength=len(periods)) * float(interval_s)


def check_alignment(index: pd.DatetimeIndex, keys: pd.DatetimeIndex, period_s: float,
                    interval_s: float) -> None:
    """Refuse volume intervals that straddle two periods (a grid offset from the clock).

    Examples
    --------
    >>> idx = pd.date_range("2009-05-04 08:15", periods=4, freq="30min", tz="Asia/Kolkata")
    >>> check_alignment(idx, period_keys(idx, 3600), 3600, 1800)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: interval_start 2009-05-04 08:45:00+05:30 (30-min interval) runs into the next 1-h ...
    """
    last = index + pd.Timedelta(seconds=interval_s) - pd.Timedelta(1, "ns")
    ends = period_keys(last, period_s)
    # An interval the clock change falls inside (St John's changed at 00:01) belongs to the
    # period it starts in; only a grid off the wall clock is refused.
    moved = _utc_offsets(index) != _utc_offsets(last)
    bad = np.flatnonzero((ends != keys) & ~moved)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"interval_start {index[i]} ({_minutes(interval_s)} interval) runs into the next "
            f"{_minutes(period_s)} period at {ends[i].strftime('%H:%M')}: periods start on "
            "the local wall clock (at multiples of the period from midnight), so the volume "
            "must too; resample it or choose a period its intervals fit")


def _utc_offsets(index: pd.DatetimeIndex) -> np.ndarray:
    """Seconds from UTC of each timestamp (zeros for naive ones)."""
    if index.tz is None:
        return np.zeros(len(index))
    wall = index.tz_localize(None).to_numpy()
    return (wall - index.tz_convert("UTC").tz_localize(None).to_numpy()) / np.timedelta64(1, "s")
