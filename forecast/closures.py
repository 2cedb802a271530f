"""Closures: days far below the same weekday in the weeks around them.

A day is compared with the same weekday over a few weeks before it and, separately,
after it (see `day_table`); a closure is far below both. Dates closed in more than one
year recur (`recurring_dates`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from tabular.days import local_dates

CLOSURE_RATIO = 0.5  # a closure has under half the usual calls of its weekday ...
CLOSURE_P = 1e-3  # ... and fewer than day-to-day variation makes plausible
CLOSURE_WEEKS = 4  # same weekdays this many weeks before and after are the reference


def day_table(daily: pd.Series, *, weeks: int = CLOSURE_WEEKS, ratio: float = CLOSURE_RATIO,
              p_value: float = CLOSURE_P) -> pd.DataFrame:
    """Each day against the same weekday in the weeks around it, and whether it was closed.

    A day is a *closure* when, against the median of the same weekday over ``weeks``
    weeks before it and, separately, over ``weeks`` weeks after it (a side counts with
    two or more recorded days; at the ends of the history only one side exists), it has
    fewer than ``ratio`` times that median *and* so few calls that a negative binomial
    with that mean and the day-to-day spread of the line (a robust relative sd of days
    around their medians) puts the count below ``p_value``. Both sides must agree, so
    the days before a campaign (low against the campaign weeks after them, normal
    against the weeks before) are not closures; the count test keeps a quiet day of a
    small line (3 calls where 8 are usual) from counting as one.

    Parameters
    ----------
    daily : Series
        Calls per day on a DatetimeIndex of days; NaN for days with no record.
    weeks, ratio, p_value
        The reference window and the two thresholds above.

    Returns
    -------
    DataFrame
        Indexed by day: ``calls``, ``usual_calls`` (median of the same weekday on the side,
        before or after, that the day is closer to; NaN when too few were recorded),
        ``p_low`` (probability of so few calls on a usual day) and ``closure``.
    """
    y = daily.to_numpy(dtype=float)
    # Weeks are counted on wall-clock dates: 7 x 24 h from a day start across a clock
    # change is not a day start.
    wall = local_dates(daily.index)
    where = pd.Series(np.arange(len(y)), index=wall)
    sides = []
    for sign in (-1, 1):
        refs = np.full((len(y), weeks), np.nan)
        for k in range(1, weeks + 1):
            at = where.reindex(wall + pd.Timedelta(days=sign * 7 * k)).to_numpy()
            ok = np.isfinite(at)
            refs[ok, k - 1] = y[at[ok].astype(int)]
        enough = np.isfinite(refs).sum(axis=1) >= 2
        med = np.full(len(y), np.nan)
        if enough.any():
            med[enough] = np.nanmedian(refs[enough], axis=1)
        sides.append(med)
    # The usual volume is the side the day is closer to: across a level shift (a campaign
    # starting) the other side describes another regime.
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps = [np.nan_to_num(np.abs(np.log(y / med)), nan=np.inf) for med in sides]
    usual = np.where(np.isfinite(sides[0]) & (gaps[0] <= gaps[1]), sides[0], sides[1])
    usual = np.where(np.isnan(usual), sides[0], usual)
    seen = np.isfinite(usual)
    spread = np.minimum(*gaps)
    spread = spread[np.isfinite(spread)]
    cv = max(1.4826 * float(np.median(spread)), 0.02) if spread.size else 0.1
    shape = 1.0 / cv ** 2

    def p_below(mean):
        return stats.nbinom.cdf(np.floor(np.nan_to_num(y)), shape,
                                shape / (shape + np.nan_to_num(mean)))

    closure = np.isfinite(y) & seen
    for med in sides:
        have = np.isfinite(med) & (med > 0)
        low = have & (y < ratio * np.nan_to_num(med)) & (p_below(med) < p_value)
        closure &= ~np.isfinite(med) | low
    return pd.DataFrame({"calls": y, "usual_calls": usual,
                         "p_low": np.where(seen, p_below(usual), np.nan), "closure": closure},
                        index=wall)


def find_closures(daily: pd.Series, **thresholds) -> pd.DataFrame:
    """Days far below the same weekday in the weeks before and after them (see `day_table`).

    Returns
    -------
    DataFrame
        One row per closure, indexed by date: ``calls`` and ``usual_calls``.

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=56, freq="D")
    >>> calls = pd.Series(1000.0, index=days)
    >>> calls[days.day_of_week >= 5] = 0.0          # closed at weekends
    >>> calls["2024-01-25"] = 0.0                    # a Thursday closure
    >>> calls["2024-02-08"] = 870.0                  # a slow Thursday
    >>> find_closures(calls)
                calls  usual_calls
    2024-01-25    0.0       1000.0
    """
    table = day_table(daily, **thresholds)
    out = table.loc[table["closure"], ["calls", "usual_calls"]]
    out.index = pd.Index(pd.DatetimeIndex(out.index).date)
    return out


def recurring_dates(days, recorded=None, breaks=()) -> tuple[str, ...]:
    """``"MM-DD"`` of the closures ``days`` that come back every year.

    A date recurs when it was closed in two years or more and in every year ``recorded``
    (the dates with a record) holds it: two outages that happen to share a date in a
    four-year history are not a yearly closure. ``breaks``: closures of a holiday break
    (`forecast.calendar`), expected again even when seen once.

    Examples
    --------
    >>> import datetime as dt
    >>> recurring_dates([dt.date(2022, 12, 25), dt.date(2023, 12, 25), dt.date(2023, 3, 1)])
    ('12-25',)
    >>> recurring_dates([dt.date(2022, 11, 15), dt.date(2023, 11, 15)],
    ...                 [dt.date(y, 11, 15) for y in (2021, 2022, 2023)])
    ()
    """
    def key(d):
        return f"{d.month:02d}-{d.day:02d}"

    years: dict[str, set] = {}
    for d in days:
        years.setdefault(key(d), set()).add(d.year)
    seen: dict[str, set] = {}
    for d in recorded if recorded is not None else days:
        seen.setdefault(key(d), set()).add(d.year)
    out = {md for md, ys in years.items() if len(ys) > 1 and seen.get(md, set()) <= ys}
    out |= {key(d) for d in breaks if seen.get(key(d), set()) <= years.get(key(d), set())}
    return tuple(sorted(out))
