"""Local calendar days of tz-aware times, in every zone.

``DatetimeIndex.normalize()`` keeps the zone, so it must build each local midnight, and
some zones have days without one: Sao Paulo until 2019, Santiago, Asuncion, Havana,
Cairo and Beirut move the clock at midnight, and pandas raises on those days. Days are
therefore named by their naive local date, and a day's first instant is its midnight or,
when the clock jumps over it, the first time after the jump.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def local_dates(index: pd.Index) -> pd.DatetimeIndex:
    """The local calendar date of each time, as naive midnights.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2018-11-04 01:00", "2018-11-04 23:30"]).tz_localize("America/Sao_Paulo")
    >>> [str(d) for d in local_dates(idx)]
    ['2018-11-04 00:00:00', '2018-11-04 00:00:00']
    """
    index = pd.DatetimeIndex(index)
    return (index.tz_localize(None) if index.tz is not None else index).normalize()


def local_date(time: pd.Timestamp) -> pd.Timestamp:
    """The local calendar date of one time, as a naive midnight."""
    time = pd.Timestamp(time)
    return (time.tz_localize(None) if time.tz is not None else time).normalize()


def day_starts(dates, tz) -> pd.DatetimeIndex:
    """The first instant of each local date in zone ``tz`` (naive dates when ``tz`` is None).

    Examples
    --------
    São Paulo's clock went from 00:00 to 01:00 on 4 November 2018:

    >>> [str(t) for t in day_starts(pd.DatetimeIndex(["2018-11-03", "2018-11-04"]), "America/Sao_Paulo")]
    ['2018-11-03 00:00:00-03:00', '2018-11-04 01:00:00-02:00']
    """
    dates = local_dates(pd.DatetimeIndex(dates))
    if tz is None:
        return dates
    # A midnight that happens twice (the clock set back to 00:00) starts the day at its first pass.
    return dates.tz_localize(tz, ambiguous=np.ones(len(dates), bool), nonexistent="shift_forward")


def day_start(date, tz) -> pd.Timestamp:
    """The first instant of one local date in zone ``tz``."""
    return day_starts(pd.DatetimeIndex([pd.Timestamp(date)]), tz)[0]


def next_day_start(time: pd.Timestamp) -> pd.Timestamp:
    """The first instant of the local day after that of ``time``, in its zone.

    Examples
    --------
    A day of 23 hours (Sydney, 1 October 2023):

    >>> str(next_day_start(pd.Timestamp("2023-10-01", tz="Australia/Sydney")))
    '2023-10-02 00:00:00+11:00'
    """
    time = pd.Timestamp(time)
    return day_start(local_date(time) + pd.Timedelta(days=1), time.tz)


def days_of(index: pd.Index) -> pd.DatetimeIndex:
    """The first instant of each time's local day, in its zone.

    What ``normalize()`` gives, also on days without a midnight, where it raises.

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2018-11-03 18:00", "2018-11-04 12:00"]).tz_localize("America/Sao_Paulo")
    >>> [str(d) for d in days_of(idx)]
    ['2018-11-03 00:00:00-03:00', '2018-11-04 01:00:00-02:00']
    """
    index = pd.DatetimeIndex(index)
    return day_starts(local_dates(index), index.tz)
