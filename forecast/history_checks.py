"""Is a history fit to learn from: one step throughout, calls, and a whole week.

These refusals replace what a degenerate history used to give: forecasts of zero or NaN
without a word, or a numerical error from deep inside a fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from tabular.days import local_date, local_dates

MIN_SPAN_DAYS = 7  # every weekday once: a weekday without records in a week is closed
_MIN_DAY_ROWS = 6  # a day with fewer rows says little about its logging step
_REGULAR_SHARE = 0.75  # share of a day's steps that make it a regularly logged day


def _text(step_ns: int) -> str:
    return to_offset(pd.Timedelta(int(step_ns), unit="ns")).freqstr


def check_one_step(index: pd.DatetimeIndex) -> None:
    """Refuse a history whose logging step changes midway (15 minutes, then 30).

    Rows of a coarser part lie on the finer grid, so without this check their totals
    would be read as calls of one short interval each, the rest missing. Only regularly
    logged days count (most of their rows one step apart), so a line that omits quiet
    intervals or closes at night is not refused.

    Raises
    ------
    ValueError
        Naming both steps and the time the second begins.

    Examples
    --------
    >>> a = pd.date_range("2024-01-01", "2024-01-02", freq="15min", inclusive="left")
    >>> b = pd.date_range("2024-01-02", "2024-01-03", freq="30min", inclusive="left")
    >>> check_one_step(a.append(b))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: history step changes from 15min to 30min at 2024-01-02 00:00: give one step ...
    """
    if len(index) < 2 * _MIN_DAY_ROWS:
        return
    local = index.tz_localize(None) if index.tz is not None else index
    day = local_dates(index).as_unit("ns").asi8
    steps = np.diff(index.as_unit("ns").asi8)
    same = day[1:] == day[:-1]
    counts = pd.DataFrame({"day": day[1:][same], "step": steps[same]}).value_counts()
    if counts.empty:
        return
    by_day = counts.groupby(level="day")
    top = counts.loc[by_day.idxmax()].droplevel("step")
    regular = (by_day.sum() >= _MIN_DAY_ROWS - 1) & (top / by_day.sum() >= _REGULAR_SHARE)
    modes = pd.Series([s for _, s in by_day.idxmax()], index=top.index)[regular]
    if modes.nunique() < 2:
        return
    first = modes.iloc[0]
    change = modes[modes != first].index[0]
    later = modes.loc[change]
    # The change comes right after the last step of the old length before the new one's day ends.
    old = np.flatnonzero((steps == first) & (day[:-1] < change + 86_400 * 10**9))
    when = local[old[-1] + 1]
    raise ValueError(f"history step changes from {_text(first)} to {_text(later)} at "
                     f"{when:%Y-%m-%d %H:%M}: give one step throughout (e.g. resample the "
                     f"history to {_text(max(first, later))})")


def check_fit_history(series: pd.Series) -> None:
    """Refuse a history a fit cannot learn from: less than a week, or no calls.

    ``series`` holds calls per interval on the history's grid (NaN where not recorded).

    Raises
    ------
    ValueError
        Saying what the history holds and what is needed.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=48, freq="h", tz="Europe/Rome")
    >>> check_fit_history(pd.Series(3.0, index=idx))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: history spans 2 day(s) (2024-01-01 to 2024-01-02); at least 7 days are needed...
    >>> week = pd.date_range("2024-01-01", periods=7 * 24, freq="h", tz="Europe/Rome")
    >>> check_fit_history(pd.Series(0.0, index=week))
    Traceback (most recent call last):
    ...
    ValueError: history has no calls (168 rows, all 0 or blank): there is nothing to learn from
    """
    calls = series.to_numpy(dtype=float)
    index = pd.DatetimeIndex(series.index)
    first, last = local_date(index[0]), local_date(index[-1])
    span = (last - first).days + 1
    if span < MIN_SPAN_DAYS:
        raise ValueError(f"history spans {span} day(s) ({first:%Y-%m-%d} to {last:%Y-%m-%d}); "
                         f"at least {MIN_SPAN_DAYS} days are needed, so that every weekday is "
                         "seen open or closed")
    if not (np.nan_to_num(calls) > 0).any():
        raise ValueError(f"history has no calls ({len(calls)} rows, all 0 or blank): there is "
                         "nothing to learn from")
